"""The site's Jinja templates and static files, shipped in the wheel as chatmine.site_templates."""
