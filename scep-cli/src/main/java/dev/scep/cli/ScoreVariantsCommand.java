package dev.scep.cli;

import dev.scep.cli.OptionRules.Output;
import dev.scep.formats.model.ScepModel;
import dev.scep.runtime.variants.GenePanel;
import dev.scep.runtime.variants.MotifScan;
import dev.scep.runtime.variants.VariantScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "score-variants", description = {
        "Score every variant of a VCF/BCF (plain or bgzip) whose REF overlaps a gene's TSS window: per output, the change",
        "in predicted expression (log10, z-score undone). REF alleles are checked against the genome (mismatches",
        "counted, not scored); multi-allelic records are split; SNVs are scored incrementally, MNPs (REF and ALT of one",
        "length) as their substitutions together, indels up to 1 kb by recomputing the window with the TSS kept in place",
        "(kind column: SNV, MNP, INDEL); symbolic alleles are skipped and ALT alleles with an IUPAC ambiguity code (N)",
        "are counted as ambiguous, neither scored. Variants are ranked per gene. With --motifs, each row also names the",
        "JASPAR motif whose best log-odds match over the allele changes most from REF to ALT (gained or lost)."})
final class ScoreVariantsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    GenomeVariantOptions input;

    @Output
    @Option(names = "--out", required = true, paramLabel = "S.tsv|S.vcf.gz|S.parquet|-", description = {
            "Output (written atomically; '-' is standard output): a table, or with a .vcf/.vcf.gz name the input VCF",
            "with the effects as INFO (SCEP=Allele|Gene|Symbol|Strand|Offset|Kind|Rank|<outputs>..., like VEP's CSQ);",
            ".gz is bgzip with a tabix index beside it; .parquet the table as one Parquet file (typed columns, the",
            "provenance in its metadata)."})
    Path out;

    @Option(names = "--index", description = "With a .tsv.gz table: a tabix index beside it (.tbi; contig column 2, position 3), for tabix -h S.tsv.gz chr16:1-100000.")
    boolean index;

    @Option(names = "--output-format", paramLabel = "tsv|vcf|parquet", description = "Output format (default: from the --out name; tsv for '-').")
    String outputFormat;

    @Option(names = "--motifs", paramLabel = "DIR", description = {
            "Folder of JASPAR .pfm matrices (matrix_list.txt beside them names them): add the columns motif_id, motif_name,",
            "motif_ref_score, motif_alt_score, motif_change (bits; ALT - REF), motif_effect (gained/lost/none), motif_strand",
            "and motif_offset (of the better allele's best match, from position): per allele, the motif whose best match",
            "over the allele's bases changes most."})
    Path motifs;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        int n = input.threads(spec.commandLine());
        VariantScoring.OutputFormat format = outputFormat == null ? VariantScoring.OutputFormat.of(out)
                : switch (outputFormat.toLowerCase(java.util.Locale.ROOT)) {
                    case "tsv" -> VariantScoring.OutputFormat.TSV;
                    case "vcf" -> VariantScoring.OutputFormat.VCF;
                    case "parquet" -> VariantScoring.OutputFormat.PARQUET;
                    default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--output-format must be tsv, vcf or parquet, not '" + outputFormat + "'");
                };
        if (format == VariantScoring.OutputFormat.PARQUET && dev.scep.formats.io.OutputFile.bgzf(out)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--out " + out
                    + ": a Parquet file compresses its own pages; name it .parquet, not .gz");
        }
        if (index && (format != VariantScoring.OutputFormat.TSV || !dev.scep.formats.io.OutputFile.bgzf(out))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--index needs a bgzip table (--out S.tsv.gz);"
                    + " a .vcf.gz output is always indexed");
        }
        long t0 = System.nanoTime();
        MotifScan scan = motifs == null ? null : MotifScan.load(motifs);   // before the slow part: a bad folder fails fast
        ScepModel m = input.readModel();
        GenePanel panel = input.loadPanel(m);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("%,d genes' windows loaded in %.1f s%n", panel.genes().size(), (System.nanoTime() - t0) / 1e9);
        if (scan != null) {
            o.printf("%d JASPAR motifs from %s%n", scan.motifs().size(), motifs);
        }
        o.flush();
        Progress progress = new Progress(spec.commandLine().getErr(), "score-variants: records");
        java.util.List<String> provenance = java.util.List.of("version=" + ScepCommand.version(),
                "model=" + input.model, "model_sha256=" + dev.scep.formats.io.FileDigest.of(input.model, "SHA-256"),
                "command=scep " + String.join(" ", spec.commandLine().getParseResult().originalArgs()).replace('\n', ' '));
        VariantScoring.Summary s;
        try (VariantScoring scoring = VariantScoring.open(m, panel, new VariantScoring.Options(n, input.halfLife(), scan))) {
            s = scoring.scoreVcf(input.vcf, out, format, provenance, (records, alleles) -> progress.update(records));
        }
        if (index && java.nio.file.Files.isRegularFile(out)) {
            dev.scep.formats.io.TabixIndexer.index(out, dev.scep.formats.io.TabixIndexer.SCORES);
        }
        progress.finish();
        o.printf("%,d records, %,d alleles: %,d SNVs, %,d MNPs and %,d indels scored (%,d gene effects), %,d outside gene"
                        + " windows, %,d REF mismatches, %,d symbolic skipped, %,d ambiguous ALT (IUPAC code such as N) not scored%s%n",
                s.records(), s.alleles(), s.scoredSnvs(), s.scoredMnps(), s.scoredIndels(), s.effects(), s.outsideWindows(),
                s.refMismatches(), s.symbolic(), s.ambiguous(), s.skipped().isEmpty() ? "" : ", skipped " + s.skipped());
        if (s.refMismatches() > 0) {
            o.printf("REF mismatches (not scored), e.g. %s%n", s.mismatchExamples());
        }
        if (!s.contigsNotAnnotated().isEmpty()) {
            o.printf("contigs with no annotated gene: %s%n", s.contigsNotAnnotated());
        }
        o.printf("%.1f s, %,.0f alleles/s on %d threads -> %s%n", s.nanos() / 1e9, s.alleles() / (s.nanos() / 1e9), n, out);
        return 0;
    }
}
