from chatmine.cli import main

raise SystemExit(main())
