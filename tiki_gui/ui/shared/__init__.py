"""What every part of the window uses: the job runner, error wording,
small widget helpers and the app icon."""
