"""LTI 1.3 Advantage: the trainer as a tool an LMS (Canvas, Moodle, Blackboard, D2L) launches.

The protocol work (OIDC login, id_token checks, deep-linking JWTs, service tokens, names and
roles, assignment and grade services) is done by the maintained library ``pylti1p3``; these
modules hold what is ours: where registrations live (``registrations``, ``tool_config``), what
a launch means for accounts and cohorts (``launches``), the roster (``roster``) and the grade
outbox (``grades``). Who may do what is decided in ``registrations.may_manage_platforms`` and
``cohorts.can_manage``, as everywhere else.
"""
