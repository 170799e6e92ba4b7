"""The markers of Headwater's hooks: ``hookspec`` marks a hook's specification (core only),
``hookimpl`` marks a plugin's implementation of one.

``hookimpl`` takes pluggy's options: ``tryfirst=True`` / ``trylast=True`` to be called
before or after the other plugins, and ``wrapper=True`` for a generator that surrounds the
other implementations of the hook (it ``yield``\\ s once, receives their result, and
returns it)::

    from headwater.integration import hookimpl

    @hookimpl(tryfirst=True)
    def headwater_step_failed(run, step_key, error):
        page_someone(run.run_id, step_key, error.message)
"""

from __future__ import annotations

import pluggy

PROJECT = "headwater"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
