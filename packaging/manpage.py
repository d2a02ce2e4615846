#!/usr/bin/env python3
"""Writes a man page for EXE from the executable's own --help output (every verb, recursively).

usage: manpage.py EXE NAME VERSION DATE [SEE_ALSO...] > NAME.1

The page is generated at package time from the binary being packaged, so it cannot drift from
the commands it documents. System.CommandLine help has sections ("Description:", "Usage:",
"Arguments:", "Options:", "Commands:", and free ones such as "Exit codes:") whose entries are
"  left  right" columns; each becomes roff.
"""
import re
import subprocess
import sys

SECTION = re.compile(r"^([A-Z][A-Za-z ]*):\s*(.*)$")
COLUMNS = re.compile(r"^\s{2}(\S.*?)(?:\s{2,}(\S.*))?$")
MAX_DEPTH = 4
ROOT_SECTIONS = {"Exit codes": "EXIT STATUS"}


def run_help(exe, verbs):
    out = subprocess.run([exe, *verbs, "--help"], check=True, capture_output=True, text=True,
                         env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "COLUMNS": "1000"}).stdout
    return parse(out)


def parse(text):
    """[(section, [lines])] in order; a header's inline text is its first line."""
    sections = []
    for line in text.splitlines():
        header = SECTION.match(line)
        if header and not line.startswith(" "):
            sections.append((header.group(1), [f"  {header.group(2)}"] if header.group(2) else []))
        elif sections and line.strip():
            sections[-1][1].append(line)
        elif sections:
            sections[-1][1].append("")
    return sections


def esc(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def entries(lines):
    """Two-column rows; a line without a second column continues the previous row's text."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        match = COLUMNS.match(line)
        indent = len(line) - len(line.lstrip())
        if rows and (indent > 2 or not match):
            rows[-1][1] = (rows[-1][1] + " " + line.strip()).strip()
        elif match:
            rows.append([match.group(1).strip(), (match.group(2) or "").strip()])
    return rows


def text_of(lines):
    return " ".join(line.strip() for line in lines if line.strip())


def render_body(out, sections, heading):
    for name, lines in sections:
        if name == "Description":
            continue
        if name == "Usage":
            out.append(heading("Usage"))
            out.append(".nf")
            out.extend(esc(line.strip()) for line in lines if line.strip())
            out.append(".fi")
        elif name in ("Arguments", "Options", "Commands") or len(entries(lines)) > 1:
            out.append(heading(name))
            for left, right in entries(lines):
                out.append(".TP")
                out.append(f"\\fB{esc(left)}\\fR")
                out.append(esc(right) if right else "\\&")
        else:
            out.append(heading(name))
            out.append(esc(text_of(lines)))


def description(sections):
    return text_of(next((lines for name, lines in sections if name == "Description"), []))


def subcommands(sections):
    lines = next((lines for name, lines in sections if name == "Commands"), [])
    return [left.split()[0] for left, _ in entries(lines)]


def walk(exe, verbs, depth):
    sections = run_help(exe, verbs)
    yield verbs, sections
    if depth < MAX_DEPTH:
        for verb in subcommands(sections):
            yield from walk(exe, [*verbs, verb], depth + 1)


def main():
    exe, name, version, date, *see_also = sys.argv[1:]
    pages = list(walk(exe, [], 0))
    root = pages[0][1]
    out = [f'.TH {esc(name.upper())} 1 "{date}" "spirofs {version}" "SpiroFS"',
           ".SH NAME", f"{esc(name)} \\- {esc(description(root))}"]
    usage = [(n, lines) for n, lines in root if n == "Usage"]
    render_body(out, usage, lambda n: ".SH SYNOPSIS")
    out.append(".SH DESCRIPTION")
    out.append(esc(description(root)))
    rest = [(n, lines) for n, lines in root if n != "Usage"]
    render_body(out, rest, lambda n: ".SH " + esc(ROOT_SECTIONS.get(n, n.upper())))
    if len(pages) > 1:
        out.append(".SH VERBS")
        for verbs, sections in pages[1:]:
            out.append(f".SS {esc(' '.join([name, *verbs]))}")
            out.append(esc(description(sections)))
            render_body(out, sections, lambda n: f".PP\n\\fI{esc(n)}:\\fR")
    if see_also:
        out.append(".SH SEE ALSO")
        out.append(esc(", ".join(see_also)))
    print("\n".join(out))


if __name__ == "__main__":
    main()
