from apps.core.embedded import serve_environment


def test_serve_runs_with_debug_off_and_a_key_it_keeps(tmp_path):
    environ = {"SECRET_KEY_FILE": str(tmp_path / "secret_key")}

    serve_environment(["manage.py", "serve", "127.0.0.1:8000"], environ)
    again = {"SECRET_KEY_FILE": str(tmp_path / "secret_key")}
    serve_environment(["manage.py", "serve"], again)

    assert environ["DEBUG"] == "false"
    assert len(environ["SECRET_KEY"]) >= 50
    assert again["SECRET_KEY"] == environ["SECRET_KEY"]


def test_dev_mode_is_asked_for_with_a_flag_or_debug(tmp_path):
    flagged, debug = {}, {"DEBUG": "1"}

    serve_environment(["manage.py", "serve", "--dev"], flagged)
    serve_environment(["manage.py", "serve"], debug)

    assert flagged == {}
    assert debug == {"DEBUG": "1"}


def test_an_explicit_key_and_other_commands_are_left_alone():
    explicit, other = {"SECRET_KEY": "k" * 60}, {}

    serve_environment(["manage.py", "serve"], explicit)
    serve_environment(["manage.py", "migrate"], other)

    assert explicit == {"SECRET_KEY": "k" * 60, "DEBUG": "false"}
    assert other == {}
