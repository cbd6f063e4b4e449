"""The profiles: the bar to choose and manage them, the controller that keeps the current one in
step with the form, the form value <-> profile mapping, the keyring notice, the last-used
profile."""
