"""Pages of the evaluation app; every list reads through `for_user`, so a page shows only the
user's unit (and the units below it), or an enterprise user's own enterprise."""
