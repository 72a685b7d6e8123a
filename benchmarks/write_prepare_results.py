"""Writes the data-preparation section of RESULTS.md (between markers, so run.sh keeps it) from prepare.sh's output."""
import datetime
import os
import re
import sys

from results_section import cpu_name, peak_heap_mb, replace_section

out, target = sys.argv[1], sys.argv[2]
genes, cells, contigs, spacing = (int(a) for a in sys.argv[3:7])
prep = open(os.path.join(out, "prepare.txt")).read()
gen = open(os.path.join(out, "generate.txt")).read()
wall = float(re.search(r"wall_seconds ([0-9.]+)", prep).group(1))
peak = peak_heap_mb(os.path.join(out, "gc.log"))
cpu = cpu_name()
lines = [
    "## Data preparation: a genome of %d genes" % genes,
    "",
    "Command: `benchmarks/prepare.sh %d %d %d %d` (%s; %s, %d cores)." % (
        genes, cells, contigs, spacing, datetime.date.today().isoformat(), cpu, os.cpu_count()),
    "",
    "Synthetic inputs (`dev.scep.bench.SyntheticGenome`): a human-sized FASTA (%d contigs of %.0f Mb, %.1f Gb) with" % (
        contigs, genes / contigs * spacing / 1e6, genes * spacing / 1e9),
    "soft-masked stretches and N gaps, a GTF with one or two transcripts per gene, a %d-cell Matrix Market" % cells,
    "matrix (gzip; 10% more genes than the GTF has) and a cell table with nested tissue/class/subclass columns.",
    "`scep prepare` streams the unindexed FASTA contig by contig, aggregates all three levels in one pass over the",
    "matrix, and writes the `.sced` file, under `-Xmx1g` (`--keep-noncoding`: every gene gets its window). The",
    "heap peak is one 250 Mb contig held as bytes while its windows are cut, plus the buffer it grew in.",
    "",
    "| measure | value | goal |",
    "| --- | --- | --- |",
    "| wall time, JVM start to file written | **%.1f s** | under 60 s |" % wall,
    "| largest heap occupancy at any collection (`-Xlog:gc`) | **%d MB** | under 1 GB |" % peak,
    "",
    "There is no libtorch counterpart to time against: the PyTorch reference prepares data in Python",
    "(pandas/pyfaidx), outside any engine, so this goal is an absolute one.",
    "",
    "```",
    gen.strip(),
    "",
    prep.strip(),
    "```",
]
replace_section(target, "prepare", lines)
