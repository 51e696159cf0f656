"""The embedded default archive, shipped in the wheel as chatmine.seeds."""
