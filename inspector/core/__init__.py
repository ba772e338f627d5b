"""Domain logic with no Qt: workspace, importers, signals; everything a test can drive."""
