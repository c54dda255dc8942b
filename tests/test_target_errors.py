"""Unreachable hosts and wrong credentials: one clear line naming target and host, never the password."""

from __future__ import annotations

import pytest

from commands.cli import main

SECRET = "s3cr3t-Pa55word"


@pytest.mark.postgres
def test_unreachable_postgres_host(monkeypatch, capsys) -> None:
    monkeypatch.setenv("LAPSTACK_TARGET", "postgres")
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", "1")  # nothing listens there
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert main(["sessions"]) == 1
    err = capsys.readouterr().err
    assert "cannot connect to target 'postgres' (postgres) at 127.0.0.1:1 as user 'postgres'" in err
    assert SECRET not in err


@pytest.mark.postgres
def test_wrong_postgres_user(postgres_env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PGUSER", "no_such_lapstack_role")
    monkeypatch.setenv("PGPASSWORD", SECRET)
    assert main(["sessions"]) == 1
    err = capsys.readouterr().err
    assert "cannot connect to target 'postgres'" in err and "no_such_lapstack_role" in err
    assert SECRET not in err


def test_unknown_target_is_named(capsys) -> None:
    with pytest.raises(SystemExit, match="unknown target 'oracle'"):
        main(["sessions", "--target", "oracle"])
