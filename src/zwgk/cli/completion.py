"""``zwgk completion bash|zsh|fish``: a shell completion script made from the parser itself.

The commands and their options are read from the ``argparse`` parser, so a command or option added
later (a plugin's command too) is completed without editing a script. Arguments that are not
options complete as file names.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from zwgk.cli._commands import Command
from zwgk.hookspecs import hookimpl

__all__ = ["SHELLS", "add_arguments", "cmd_completion", "register_commands", "script"]

#: The shells a script is written for.
SHELLS = ("bash", "zsh", "fish")


def _commands(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each sub-command with its option strings (``--format``, ``-f`` …)."""
    out: dict[str, list[str]] = {}
    for action in parser._actions:  # argparse keeps its actions here and offers no public accessor
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out[name] = sorted({o for a in sub._actions for o in a.option_strings})
    return out


def _top_options(parser: argparse.ArgumentParser) -> list[str]:
    return sorted({o for a in parser._actions for o in a.option_strings})


def _bash(parser: argparse.ArgumentParser, zsh: bool) -> str:
    commands = _commands(parser)
    cases = "\n".join(f'        {name}) opts="{" ".join(opts)}" ;;' for name, opts in commands.items())
    head = "autoload -U +X bashcompinit && bashcompinit\n" if zsh else ""
    return f"""# zwgk completion for {'zsh' if zsh else 'bash'}: eval "$(zwgk completion {'zsh' if zsh else 'bash'})"
{head}_zwgk() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" opts=""
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=( $(compgen -W "{' '.join(commands)} {' '.join(_top_options(parser))}" -- "$cur") )
        return
    fi
    case "${{COMP_WORDS[1]}}" in
{cases}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
    else
        COMPREPLY=( $(compgen -f -- "$cur") )
    fi
}}
complete -o filenames -F _zwgk zwgk
"""


def _fish(parser: argparse.ArgumentParser) -> str:
    commands = _commands(parser)
    lines = ["# zwgk completion for fish: zwgk completion fish | source",
             f"complete -c zwgk -n __fish_use_subcommand -f -a '{' '.join(commands)}'"]
    for name, opts in commands.items():
        for o in opts:
            flag = f"-l {o[2:]}" if o.startswith("--") else f"-s {o[1:]}"
            lines.append(f"complete -c zwgk -n '__fish_seen_subcommand_from {name}' {flag}")
    return "\n".join(lines) + "\n"


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of ``parser`` for ``shell`` (one of :data:`SHELLS`)."""
    if shell == "fish":
        return _fish(parser)
    return _bash(parser, zsh=shell == "zsh")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=SHELLS)


def cmd_completion(args: argparse.Namespace) -> int:
    """Print the script for the parser that read ``args`` (``zwgk`` sets itself as ``args.root``)."""
    sys.stdout.write(script(args.root, args.shell))
    return 0


@hookimpl
def register_commands(register: Callable[[Command], None]) -> None:
    register(Command("completion", "print a shell completion script: eval \"$(zwgk completion bash)\" "
                                   "(zsh alike; fish: zwgk completion fish | source)", add_arguments, cmd_completion))
