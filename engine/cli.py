"""The ``ftrag`` command line: same engine as the app, for scripting and tests.

The console script is ``gui.launcher:main``: with a sub-command it lands here; without one
(``ftrag`` or ``ftrag FILE``) it opens the desktop app.  This module never imports Qt.

    ftrag eval FILE [--json] [--scenario NAME]
    ftrag export FILE -o OUT.xlsx [--scenario NAME]
    ftrag map FILE --x FIELD:LO:HI --y FIELD:LO:HI [--scenario NAME] [--resolution N] [--json|--csv]
    ftrag new --template NAME -o FILE
    ftrag new --brief BRIEF.json -o FILE
    ftrag templates
    ftrag schema [--brief]
    ftrag prices [show | import FILE | remove]
    ftrag --version

Bad input: one line on stderr naming the problem, exit status 2, never a traceback.  Text from a
file never drives the terminal: every message and the text output pass through
engine.text.terminal_safe (control and invisible characters written as visible escapes).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from engine.text import terminal_safe
from engine.version import APP_VERSION

if TYPE_CHECKING:
    from engine.model.project import Project
    from engine.model.scenario import Scenario

COMMANDS = ("eval", "export", "map", "solve", "new", "templates", "schema", "prices")
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
    ev.add_argument(
        "--seed", type=_seed, default=0, help="random seed of the Monte Carlo run (0 or more)"
    )

    export = sub.add_parser("export", help="write a project file's results as a spreadsheet")
    export.add_argument("file", help="a .ftrag project file")
    export.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    export.add_argument("--scenario", help="only this scenario (by name)")
    mp = sub.add_parser(
        "map",
        help="which strategy is recommended over two inputs (the decision map)",
        description="The recommended strategy at every point of a grid over two numeric "
        "inputs. FIELD is the dotted path of a scenario input as the .ftrag file writes it, "
        "e.g. workload.queries_per_month or knowledge.corpus_change_pct_per_month; add ':log' "
        "or ':linear' to fix the scale (default: as the app's chart chooses).",
    )
    mp.add_argument("file", help="a .ftrag project file")
    mp.add_argument("--x", required=True, type=_axis, metavar="FIELD:LO:HI", help="across")
    mp.add_argument("--y", required=True, type=_axis, metavar="FIELD:LO:HI", help="up")
    mp.add_argument("--scenario", help="the scenario to map (by name; default: the first)")
    mp.add_argument(
        "--resolution", type=_resolution, default=40, help="grid points per axis (default 40)"
    )
    shape = mp.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print the documented JSON shape")
    shape.add_argument("--csv", action="store_true", help="print one CSV row per grid point")

    solve = sub.add_parser(
        "solve", help="find the cheapest setup of each strategy that meets every must"
    )
    solve.add_argument("file", help="a .ftrag project file")
    solve.add_argument("--json", action="store_true", help="print the documented JSON shape")
    solve.add_argument("--scenario", help="this scenario (by name; default: the first)")
    solve.add_argument(
        "--keep", type=_samples, default=3, help="setups to show per strategy (default 3)"
    )
    solve.add_argument(
        "--any-model-size",
        action="store_true",
        help="search self-hosted models smaller than the scenario's own (answer quality is "
        "not scored; by default the search keeps the model size)",
    )
    solve.add_argument(
        "--min-params",
        type=_billions,
        metavar="B",
        help="search only self-hosted models of at least B billion parameters",
    )
    precision = solve.add_mutually_exclusive_group()
    precision.add_argument(
        "--any-precision",
        action="store_true",
        help="search self-hosted weights in fewer bytes than the scenario's, down to 4-bit "
        "(quantization trades answer quality, which is not scored; by default the search "
        "keeps the precision)",
    )
    precision.add_argument(
        "--min-bits",
        type=int,
        choices=(4, 8, 16),
        help="search only self-hosted weights of at least this many bits (replaces the "
        "scenario's own precision as the floor)",
    )

    new = sub.add_parser(
        "new", help="write a new project file from a template or from a client's brief"
    )
    start = new.add_mutually_exclusive_group()
    start.add_argument("--template", default=None, help="template name")
    start.add_argument(
        "--brief",
        metavar="BRIEF.json",
        help="a client's brief (JSON; its schema: ftrag schema --brief): fills one scenario, "
        "with the cheapest setup per strategy that meets every must",
    )
    new.add_argument("-o", "--output", required=True, help="file to write")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")

    sub.add_parser("templates", help="list the built-in templates")
    schema = sub.add_parser("schema", help="print the JSON Schema of .ftrag files")
    schema.add_argument(
        "--brief", action="store_true", help="print the JSON Schema of a client's brief instead"
    )

    prices = sub.add_parser(
        "prices", help="show, import or remove price data (offline: from a file you downloaded)"
    )
    prices_sub = prices.add_subparsers(dest="prices_command", parser_class=_Parser)
    prices_sub.add_parser("show", help="which price data is in use")
    imp = prices_sub.add_parser(
        "import", help="import a genai-prices data file or a catalog pack (JSON)"
    )
    imp.add_argument("file", help="the file to import")
    prices_sub.add_parser("remove", help="remove imported price data (back to the bundled data)")
    return parser


def _whole(text: str, lowest: int, highest: int) -> int:
    """A whole-number option within bounds, or argparse's one-line error."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if not lowest <= n <= highest:
        raise argparse.ArgumentTypeError(f"must be between {lowest:,} and {highest:,}")
    return n


def _samples(text: str) -> int:
    return _whole(text, 0, 1_000_000)


def _billions(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < n <= 100_000:
        raise argparse.ArgumentTypeError("must be between 0 and 100,000 (billions)")
    return n


def _axis(text: str) -> Any:
    from engine.decision_map import Axis

    parts = text.split(":")
    if len(parts) not in (3, 4) or not parts[0]:
        raise argparse.ArgumentTypeError(f"expected FIELD:LO:HI, got {text!r}")
    try:
        lo, hi = float(parts[1]), float(parts[2])
    except ValueError:
        raise argparse.ArgumentTypeError(f"LO and HI must be numbers in {text!r}") from None
    log: bool | None = None
    if len(parts) == 4:
        if parts[3] not in ("log", "linear"):
            raise argparse.ArgumentTypeError(f"the scale must be 'log' or 'linear' in {text!r}")
        log = parts[3] == "log"
    return Axis(parts[0], lo, hi, log)


def _resolution(text: str) -> int:
    from engine.decision_map import MAX_RESOLUTION

    return _whole(text, 2, MAX_RESOLUTION)


MAX_SEED = 2**63 - 1


def _seed(text: str) -> int:
    return _whole(text, 0, MAX_SEED)


def dash_file_hint(args: Sequence[str], message: str) -> str:
    """argparse reads a file name starting with '-' as an option: say how to pass it."""
    dashed = [a for a in args if a.startswith("-") and a != "-" and not a.startswith("--")]
    dashed = [a for a in dashed if a.lower().endswith(".ftrag") or "." in a or "/" in a]
    if not dashed:
        return message
    name = dashed[0]
    return f"{message} (to name a file that starts with '-', put '--' before it: -- {name})"


def error_line(message: str) -> str:
    """One line for stderr: the message with hidden characters escaped, at most 1,000 chars."""
    text = terminal_safe(" ".join(message.split("\n")))
    return text if len(text) <= 1000 else text[:999] + "…"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        return _run(args)
    except CliError as exc:
        print(f"error: {error_line(dash_file_hint(args_list, str(exc)))}", file=sys.stderr)
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
        if args.command == "export":
            return _export(args)
        if args.command == "map":
            return _map(args)
        if args.command == "solve":
            return _solve(args)
        if args.command == "new":
            return _new(args)
        if args.command == "templates":
            return _templates()
        if args.command == "prices":
            return _prices(args)
        return _schema(args)
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

        # Names, titles and catalog entries are escaped before they are composed into lines,
        # so no line break or escape sequence from the file reaches the terminal.
        shown = _escaped(project)
        assert isinstance(shown, type(project))
        title = shown.title + (f" — {shown.client}" if shown.client else "")
        sys.stdout.write(terminal_safe(title) + "\n")
        for scenario in scenarios:
            evaluation = evaluate(shown, shown.scenario(_escaped(scenario.name)))
            text = evaluation_text(evaluation)
            sys.stdout.write("\n" + terminal_safe(text, keep_newlines=True))
    return 0


def _export(args: argparse.Namespace) -> int:
    from engine.fileformat import load_project
    from engine.spreadsheet import SpreadsheetError, write_xlsx

    out = Path(args.output)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"{out}: the spreadsheet must be an .xlsx file")
    project = load_project(args.file)
    if args.scenario:
        try:
            project = project.model_copy(update={"scenarios": [project.scenario(args.scenario)]})
        except KeyError as exc:
            raise CliError(f"{args.file}: {exc.args[0]}") from None
    try:
        write_xlsx(project, out)
    except SpreadsheetError as exc:
        raise CliError(f"{args.file}: {exc}") from None
    print(f"wrote {out}")
    return 0


def _scenario(project: Project, args: argparse.Namespace) -> Scenario:
    """The scenario ``--scenario`` names (CliError when the file has none of that name)."""
    try:
        return project.scenario(args.scenario)
    except KeyError as exc:
        raise CliError(f"{args.file}: {exc.args[0]}") from None


def _map(args: argparse.Namespace) -> int:
    from engine.decision_map import DecisionMapError, decision_map
    from engine.evaluate import EvaluationError
    from engine.fileformat import load_project

    project = load_project(args.file)
    scenario = _scenario(project, args)
    try:
        m = decision_map(project, scenario, args.x, args.y, args.resolution)
    except (DecisionMapError, EvaluationError) as exc:
        raise CliError(f"{args.file}: {exc}") from None
    if args.json:
        from engine.decision_map import decision_map_json

        doc: dict[str, Any] = {
            "ftrag_map_version": 1,
            "app_version": APP_VERSION,
            "file": str(args.file),
            "scenario": scenario.name,
            **decision_map_json(m),
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
    elif args.csv:
        from engine.decision_map import decision_map_csv

        sys.stdout.write(decision_map_csv(m))
    else:
        from engine.decision_map import decision_map_text

        sys.stdout.write(f"{project.title} — {scenario.name}\n\n{decision_map_text(m)}")
    return 0


def _escaped(value: Any) -> Any:
    """``value`` (a project, a model, a container) with every free text run through
    terminal_safe; enums and numbers untouched.  Used only for display."""
    from pydantic import BaseModel

    if type(value) is str:
        return terminal_safe(value)
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={name: _escaped(getattr(value, name)) for name in type(value).model_fields}
        )
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_escaped(v) for v in value)
    return value


def _solve(args: argparse.Namespace) -> int:
    from engine.evaluate import EvaluationError
    from engine.fileformat import load_project
    from engine.solver import solution_json, solution_text, solve

    project = load_project(args.file)
    scenario = _scenario(project, args)
    try:
        solution = solve(
            project,
            scenario,
            keep=args.keep,
            keep_model_size=not args.any_model_size,
            min_parameters_billion=args.min_params,
            keep_precision=not (args.any_precision or args.min_bits),
            min_bytes_per_weight=args.min_bits / 8 if args.min_bits else None,
        )
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
    if out.exists() and not out.is_file():
        raise CliError(f"{out}: is not a regular file")
    if args.brief is not None:
        return _new_from_brief(args.brief, out)
    template = args.template or "support-assistant"
    try:
        project = load_template(template)
    except KeyError as exc:
        raise CliError(str(exc.args[0])) from None
    save_project(project, out, keep_backup=False)
    print(terminal_safe(f"wrote {out} from template {template!r}"))
    return 0


def _new_from_brief(brief_file: str, out: Path) -> int:
    from engine.brief import BriefError, apply_brief, parse_brief
    from engine.evaluate import EvaluationError, evaluate
    from engine.fileformat import save_project
    from engine.model.scenario import STRATEGY_NAMES

    source = Path(brief_file)
    try:
        if not source.is_file():
            raise CliError(f"{source}: no such brief file")
        if source.stat().st_size > 1_000_000:
            raise CliError(f"{source}: larger than 1 MB; a brief is a few hundred bytes")
        data = source.read_bytes()
    except OSError as exc:
        raise CliError(f"{source}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    try:
        result = apply_brief(parse_brief(text, str(source)))
    except BriefError as exc:
        raise CliError(str(exc)) from None
    save_project(result.project, out, keep_backup=False)
    print(terminal_safe(f"wrote {out} from the brief {str(source)!r}"))
    try:
        recommendation = evaluate(result.project).recommendation
        chosen = recommendation.strategy
        print(
            terminal_safe(
                "recommended: "
                + (STRATEGY_NAMES[chosen] if chosen else "none (no strategy meets every must)")
            )
        )
    except EvaluationError as exc:
        print(terminal_safe(f"not evaluated: {exc}"))
    print("what we assumed:")
    for assumption in result.assumptions:
        mark = " (don't know)" if assumption.dont_know else ""
        print(terminal_safe(f"  {assumption.path}{mark}: {assumption.text}"))
    for note in result.notes:
        print(terminal_safe(f"  note: {note}"))
    return 0


def _templates() -> int:
    from engine.templates import load_template, template_names

    for name in template_names():
        print(f"{name:24s} {load_template(name).title}")
    return 0


def _prices(args: argparse.Namespace) -> int:
    from engine.catalog import price_data_version
    from engine.price_import import PriceImportError, data_dir, import_file, remove_imports

    command = args.prices_command or "show"
    if command == "import":
        try:
            imported = import_file(args.file)
        except PriceImportError as exc:
            raise CliError(f"{exc} (price data unchanged)") from None
        print(f"imported {imported.entries} entries: {imported.describe()}")
        print(f"stored in {data_dir()}")
    elif command == "remove":
        removed = remove_imports()
        print("removed the imported price data" if removed else "no imported price data")
    print(f"price data in use: {price_data_version()}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if getattr(args, "brief", False):
        from engine.brief import brief_schema

        sys.stdout.write(json.dumps(brief_schema(), indent=2, ensure_ascii=False) + "\n")
        return 0
    from engine.schema import project_file_schema

    sys.stdout.write(json.dumps(project_file_schema(), indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
