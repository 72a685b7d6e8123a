"""Helpers shared by the scripts that write their own section of RESULTS.md (between <!-- name:begin/end --> markers)."""
import os
import re


def cpu_name():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def peak_heap_mb(gc_log):
    """The largest heap occupancy before any collection in a -Xlog:gc file, in MB."""
    peak = 0
    for line in open(gc_log):
        m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
        if m:
            peak = max(peak, int(m.group(1)))
    return peak


def replace_section(target, name, lines):
    """Puts lines (without markers) into RESULTS.md as section `name`, replacing an earlier run's."""
    section = "\n".join(["<!-- %s:begin -->" % name] + lines + ["<!-- %s:end -->" % name]) + "\n"
    text = open(target).read() if os.path.exists(target) else ""
    pattern = r"<!-- %s:begin -->.*?<!-- %s:end -->\n?" % (name, name)
    if re.search(pattern, text, flags=re.S):
        text = re.sub(pattern, lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(target, "w").write(text)
