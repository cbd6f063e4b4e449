"""One sign-in, in the order it happens: the form (``credentials_form``, whose value is a profile
with its secret, checked by ``form_problems``), the flow's state machine (``flow``) and its token
request (``token_request``), the consent pane (embedded browser) or the system-browser pane, then
the tokens just obtained (``obtained_tokens_panel``) or the error (``error_panel``), with the
timeline of every step (``timeline_panel``)."""
