"""The `chatmine` command line: parse options, call the library, turn ChatmineError into one line.

Commands import their stage lazily so `chatmine search` starts fast.
"""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from chatmine import __version__
from chatmine.errors import ChatmineError

# chatmine.importing.FORMATS, written out so `chatmine --help` need not import the readers.
IMPORT_FORMATS = ("auto", "chatlab", "chatlab-jsonl", "chatlog-json", "chatlog-csv", "chatlog-text",
                  "memotrace-csv", "memotrace-txt", "pywxdump-csv")


def default_archives(paths: list[Path]) -> list[Path]:
    """The ARCHIVE arguments, or the embedded default archive (seeds/) when none is given."""
    if paths:
        return paths
    from chatmine.resources import SEEDS

    return [SEEDS]


def _archive_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "archives", metavar="ARCHIVE", nargs="*", type=Path,
        help="log files or folders of logs (default: the embedded archive in seeds/)",
    )


def _common() -> argparse.ArgumentParser:
    """-q, -v and --debug, accepted by every command."""
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=0, default=1,
                      help="print only errors and warnings")
    talk.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=2,
                      help="say what each stage did and how long it took")
    common.add_argument("--debug", action="store_true", help="show the traceback of an unexpected failure")
    return common


def make_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="chatmine", parents=[common],
        description="Turn archived WeChat group logs into threads, Q&A, a static site and a search.",
        epilog="Example: chatmine build ../shared/corpus -o _site && chatmine search 渠道对账 ../shared/corpus",
    )
    parser.add_argument("--version", action="version", version=f"chatmine {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_command = functools.partial(commands.add_parser, parents=[common])

    build = add_command(
        "build", help="build the static Q&A site",
        description="Build the static Q&A site (pages, feed, sitemap, browser search index).",
        epilog="Example: chatmine build ../shared/corpus -o _site --base-url https://pay.example.org/",
    )
    _archive_arg(build)
    build.add_argument("-o", "--output", type=Path, default=Path("_site"), help="output folder (default: _site)")
    build.add_argument("--rebuild", action="store_true", help="ignore caches and refit the topic model")
    build.add_argument("--base-url", default=None, help="absolute URL the site is served from (canonical links)")
    build.add_argument("--cache-dir", type=Path, default=None, help="where parsed logs are cached")
    build.add_argument("--no-redact", action="store_true", help="publish phone, ID and card numbers unmasked")
    build.add_argument("--pseudonymize", action="store_true", help="replace speaker names with stable aliases")
    build.add_argument("--opt-out", type=Path, default=None, help="file of names whose messages are not published")
    build.add_argument("--keep-org-role", action="store_true", help="with --pseudonymize: keep org and role beside the alias")

    export = add_command(
        "export", help="write threads as JSON Lines",
        description="Write one thread a line as JSON (schema in docs/export.md).",
        epilog="Example: chatmine export ../shared/corpus -o threads.jsonl",
    )
    _archive_arg(export)
    export.add_argument("-o", "--output", type=Path, default=None, help="output file (default: standard output)")
    export.add_argument("--redact", action="store_true", help="mask phone, ID and card numbers and e-mails")
    export.add_argument("--cache-dir", type=Path, default=None, help="where parsed logs are cached")

    search = add_command(
        "search", help="search the archive from the terminal",
        description="Ranked search over threads (Q&A first), with date, group, speaker and a snippet.",
        epilog='Example: chatmine search 渠道对账 ../shared/corpus --limit 5; chatmine search \'"备付金"\' --json',
    )
    search.add_argument("query", metavar="QUERY", help='words to find; "quoted text" must appear as written')
    _archive_arg(search)
    search.add_argument("-n", "--limit", type=int, default=10, help="how many results (default: 10)")
    search.add_argument("--group", default=None, help="only this group (devarch, prodarch, proddev, ...)")
    search.add_argument("--json", action="store_true", help="one JSON object a result")
    search.add_argument("--cache-dir", type=Path, default=None, help="where the search index is kept")

    check = add_command(
        "check", help="validate logs before publishing",
        description="Read every log and report what was read, warnings and errors; exit 1 on any error.",
        epilog="Example: chatmine check new-day.markdown",
    )
    _archive_arg(check)

    imp = add_command(
        "import", help="add days from a WeChat exporter's files to the archive",
        description="Write the archive's day logs (GROUP/YYYY-MM-DD-chat.markdown) from the files ChatLab/WeFlow, "
                    "chatlog, MemoTrace (WeChatMsg) or PyWxDump export; days already there get only the messages "
                    "they lack. Every file is checked before anything is written (docs/import.md).",
        epilog="Example: chatmine import weflow-2024-03.json --into ../shared/corpus --group proddev && "
               "chatmine build ../shared/corpus -o _site",
    )
    imp.add_argument("exports", metavar="EXPORT", nargs="+", type=Path, help="exported chat files (one group each)")
    imp.add_argument("--into", metavar="ARCHIVE", type=Path, required=True, help="the archive folder")
    imp.add_argument("--group", metavar="G", required=True, help="the group's folder in the archive (e.g. proddev)")
    imp.add_argument("--tz", default="Asia/Shanghai", help="the archive's time zone, also for exports written in "
                                                          "local time (default: Asia/Shanghai)")
    imp.add_argument("--format", dest="fmt", default="auto", choices=IMPORT_FORMATS,
                     help="the exporter's format (default: auto, told from the file)")
    imp.add_argument("--keep-system", action="store_true", help="keep system messages and recalls, marked")
    imp.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")

    serve = add_command(
        "serve", help="preview the built site on 127.0.0.1",
        description="Serve the built site on 127.0.0.1 (builds the default archive first when there is none).",
        epilog="Example: chatmine serve -o _site --port 8000",
    )
    serve.add_argument("-o", "--output", type=Path, default=Path("_site"), help="site folder (default: _site)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    _archive_arg(serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from chatmine.progress import set_verbosity

    set_verbosity(args.verbosity)
    try:
        return COMMANDS[args.command](args)
    except ChatmineError as err:
        print(f"chatmine: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("chatmine: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # a bug or the machine (a full disk): one line, unless --debug
        if args.debug:
            raise
        print(f"chatmine: {args.command} failed: {type(err).__name__}: {err} "
              "(chatmine --debug shows where)", file=sys.stderr)
        return 1


def report(problems, stream=sys.stderr) -> int:
    """Print each problem on one line; 1 if any is an error, else 0."""
    for problem in problems:
        print(problem, file=stream)
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_build(args) -> int:
    from chatmine.app.build import BuildOptions, build

    options = BuildOptions(
        archives=default_archives(args.archives),
        output=args.output,
        rebuild=args.rebuild,
        base_url=args.base_url,
        cache_dir=args.cache_dir,
        redact=not args.no_redact,
        pseudonymize=args.pseudonymize,
        opt_out=args.opt_out,
        keep_org_role=args.keep_org_role,
    )
    result = build(options)
    status = report(result.problems)
    if args.verbosity:
        print(
            f"built {options.output}: {len(result.logs)} logs, {result.messages} messages, "
            f"{len(result.threads)} threads, {result.questions} questions, {result.discussions} discussions"
            + (f", {result.reused} unchanged pages kept" if result.reused else "")
            + (f", {len(result.errors)} errors" if result.errors else ""),
            file=sys.stderr,
        )
    return status


def cmd_export(args) -> int:
    from chatmine.analyse.archives import analyse_archives

    result = analyse_archives(default_archives(args.archives), cache_dir=args.cache_dir)
    threads = result.threads
    if args.redact:
        from chatmine.publish.redact import redact_threads

        threads = redact_threads(threads)
    from chatmine.store.export import write_jsonl

    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            count = write_jsonl(threads, out)
    else:
        count = write_jsonl(threads, sys.stdout)
    status = report(result.problems)
    if args.verbosity:
        print(f"exported {count} threads, {result.messages} messages", file=sys.stderr)
    return status


def cmd_check(args) -> int:
    from chatmine.read.archive import read_archive
    from chatmine.progress import Progress

    read = read_archive(default_archives(args.archives), progress=Progress("check"))
    for log in read.logs if args.verbosity else ():
        kind = "article" if log.is_article else f"{len(log.messages)} messages"
        print(f"{log.source}: {log.group or '-'} {log.date} {kind}")
    status = report(read.problems, stream=sys.stdout)
    messages = sum(len(log.messages) for log in read.logs)
    print(
        f"{read.files} files: {len(read.logs)} read, {messages} messages, "
        f"{len(read.warnings)} warnings, {len(read.errors)} errors"
    )
    return status


def cmd_search(args) -> int:
    from chatmine.search.terminal import run_search

    return run_search(
        args.query, default_archives(args.archives), limit=args.limit, group=args.group,
        as_json=args.json, cache_dir=args.cache_dir,
    )


def cmd_import(args) -> int:
    from chatmine.importing import ImportRefused, import_exports

    try:
        summary = import_exports(args.exports, args.into, args.group, tz=args.tz, fmt=args.fmt,
                                 keep_system=args.keep_system, dry_run=args.dry_run)
    except ImportRefused as refused:
        for err in refused.errors:
            print(f"chatmine: {err}", file=sys.stderr)
        print("chatmine: nothing imported", file=sys.stderr)
        return 1
    for line in summary.lines():
        print(line)
    return 0


def cmd_serve(args) -> int:
    from chatmine.app.serve import serve

    return serve(args.output, port=args.port, archives=default_archives(args.archives))


COMMANDS = {"build": cmd_build, "export": cmd_export, "check": cmd_check, "search": cmd_search, "import": cmd_import,
            "serve": cmd_serve}
