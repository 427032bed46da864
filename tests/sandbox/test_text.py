from sandbox.templatetags.sandbox_text import ticks


def test_backticked_commands_become_code_and_everything_else_is_escaped():
    assert ticks("`kubectl get pods` 명령으로 <보자>") == "<code>kubectl get pods</code> 명령으로 &lt;보자&gt;"
    assert ticks("<script>`x`") == "&lt;script&gt;<code>x</code>"
    assert ticks("no ticks") == "no ticks"
