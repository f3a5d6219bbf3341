"""The ``ftrag`` command line (SPEC §2): same engine as the app, for scripting and tests.

The console script is ``gui.launcher:main``: with a sub-command it lands here; without one
(``ftrag`` or ``ftrag FILE``) it opens the desktop app.  This module never imports Qt.

    ftrag eval FILE [--json] [--scenario NAME]
    ftrag new --template NAME -o FILE
    ftrag templates
    ftrag schema
    ftrag --version

Bad input: one line on stderr naming the problem, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from engine.version import APP_VERSION

COMMANDS = ("eval", "solve", "new", "templates", "schema")
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A problem to report on one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ftrag",
        description="FTRAG Advisor: fine-tune, RAG or both?",
        epilog="Also: 'ftrag report FILE -o OUT.pdf' writes the recommendation report; "
        "'ftrag [FILE]' opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"FTRAG Advisor {APP_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ev = sub.add_parser("eval", help="evaluate a project file and print the result")
    ev.add_argument("file", help="a .ftrag project file")
    ev.add_argument("--json", action="store_true", help="print the documented JSON shape")
    ev.add_argument("--scenario", help="only this scenario (by name)")
    ev.add_argument(
        "--samples",
        type=_samples,
        default=0,
        help="add a Monte Carlo 'uncertainty' block with N samples (e.g. 5000)",
    )
    ev.add_argument("--seed", type=int, default=0, help="random seed of the Monte Carlo run")

    solve = sub.add_parser(
        "solve", help="find the cheapest setup of each strategy that meets every must"
    )
    solve.add_argument("file", help="a .ftrag project file")
    solve.add_argument("--json", action="store_true", help="print the documented JSON shape")
    solve.add_argument("--scenario", help="this scenario (by name; default: the first)")
    solve.add_argument(
        "--keep", type=_samples, default=3, help="setups to show per strategy (default 3)"
    )

    new = sub.add_parser("new", help="write a new project file from a template")
    new.add_argument("--template", default="support-assistant", help="template name")
    new.add_argument("-o", "--output", required=True, help="file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    sub.add_parser("templates", help="list the built-in templates")
    sub.add_parser("schema", help="print the JSON Schema of .ftrag files")
    return parser


def _samples(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= n <= 1_000_000:
        raise argparse.ArgumentTypeError("must be between 0 and 1,000,000")
    return n


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        return _run(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `ftrag eval x | head`
        return 0
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    from engine.fileformat import ProjectFileError

    try:
        if args.command == "eval":
            return _eval(args)
        if args.command == "solve":
            return _solve(args)
        if args.command == "new":
            return _new(args)
        if args.command == "templates":
            return _templates()
        return _schema()
    except ProjectFileError as exc:
        raise CliError(str(exc)) from None


def _eval(args: argparse.Namespace) -> int:
    from engine.evaluate import EvaluationError, evaluate
    from engine.fileformat import load_project

    project = load_project(args.file)
    try:
        scenarios = [project.scenario(args.scenario)] if args.scenario else project.scenarios
    except KeyError as exc:
        raise CliError(f"{args.file}: {exc.args[0]}") from None
    try:
        evaluations = [evaluate(project, s) for s in scenarios]
    except EvaluationError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if args.json:
        from engine.report import evaluation_json

        blocks = [evaluation_json(e) for e in evaluations]
        if args.samples:
            from engine.uncertainty import analyse, uncertainty_json

            for block, scenario, evaluation in zip(blocks, scenarios, evaluations, strict=True):
                block["uncertainty"] = uncertainty_json(
                    analyse(
                        project,
                        scenario,
                        evaluation,
                        samples=args.samples,
                        seed=args.seed,
                        distribution=project.distribution,
                    )
                )
        doc: dict[str, Any] = {
            "ftrag_eval_version": 1,
            "app_version": APP_VERSION,
            "file": str(args.file),
            "project": {
                "title": project.title,
                "client": project.client,
                "currency": project.currency,
            },
            "scenarios": blocks,
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        from engine.report import evaluation_text

        sys.stdout.write(f"{project.title}" + (f" — {project.client}" if project.client else ""))
        sys.stdout.write("\n")
        for evaluation in evaluations:
            sys.stdout.write("\n" + evaluation_text(evaluation))
    return 0


def _solve(args: argparse.Namespace) -> int:
    from engine.evaluate import EvaluationError
    from engine.fileformat import load_project
    from engine.solver import solution_json, solution_text, solve

    project = load_project(args.file)
    try:
        scenario = project.scenario(args.scenario)
    except KeyError as exc:
        raise CliError(f"{args.file}: {exc.args[0]}") from None
    try:
        solution = solve(project, scenario, keep=args.keep)
    except (EvaluationError, ArithmeticError, ValueError) as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if args.json:
        doc = {
            "ftrag_solve_version": 1,
            "app_version": APP_VERSION,
            "file": str(args.file),
            **solution_json(solution),
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        sys.stdout.write(solution_text(solution))
    return 0


def _new(args: argparse.Namespace) -> int:
    from engine.fileformat import save_project
    from engine.templates import load_template

    out = Path(args.output)
    if out.exists() and not args.force:
        raise CliError(f"{out}: already exists (use --force to overwrite)")
    try:
        project = load_template(args.template)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None
    save_project(project, out, keep_backup=False)
    print(f"wrote {out} from template {args.template!r}")
    return 0


def _templates() -> int:
    from engine.templates import load_template, template_names

    for name in template_names():
        print(f"{name:24s} {load_template(name).title}")
    return 0


def _schema() -> int:
    from engine.schema import project_file_schema

    sys.stdout.write(json.dumps(project_file_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
