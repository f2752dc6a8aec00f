import asyncio

import signature_fixtures as sf

from domain.register.signatures import outside_any_event_loop


def test_pyhanko_signs_even_where_an_event_loop_is_already_running():
    """A browser test's loop may run in the main thread: signing and verifying still work (in a thread of their own)."""
    async def inside():
        auth = sf.authority()
        return sf.sign(sf.plain_pdf(), auth.leader, [auth.leader, auth.intermediate, auth.root])
    assert asyncio.run(inside())[:4] == b"%PDF"
    assert asyncio.run(_call(lambda: 42)) == 42


async def _call(fn):
    return outside_any_event_loop(fn)
