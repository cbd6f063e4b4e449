"""What every part of the window uses: the job runner, the one HTTP client, error wording,
small widget helpers and the app icon."""
