package dev.scep.runtime.variants;

import dev.scep.formats.text.AtomicTextFile;
import dev.scep.formats.text.InputFormatException;
import htsjdk.variant.variantcontext.Allele;
import htsjdk.variant.variantcontext.VariantContext;
import htsjdk.variant.vcf.VCFFileReader;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A VCF or BCF (plain or bgzip, read with htsjdk) scored against a {@link GenePanel}: every allele of every record
 * inside any gene's window, per population, with multi-allelic records split, REF checked against the genome, and
 * symbolic alleles skipped with a count. Rows: {@code variant, contig, position, ref, alt, gene_id, gene_name,
 * strand, offset, kind, rank_in_gene, <output>...} (offset: from the TSS in transcription orientation), where rank 1 is the variant with the largest effect (over all
 * outputs) on that gene: the GWAS prioritisation of the paper.
 */
public final class VariantScoringJob {
    /** Counts for the summary; {@code mismatchExamples} shows the first few REF disagreements. */
    public record Summary(long records, long alleles, long scoredSnvs, long scoredIndels, long effects, long outsideWindows,
                          long refMismatches, List<String> mismatchExamples, long symbolic, Map<String, Long> skipped,
                          Set<String> contigsNotAnnotated, long nanos) {
    }

    private record Row(String id, String contig, long pos, String ref, String alt, VariantScorer.Effect effect) {
        float strength() {
            float m = 0;
            for (float v : effect.delta()) {
                m = Math.max(m, Math.abs(v));
            }
            return m;
        }
    }

    private VariantScoringJob() {
    }

    public static Summary run(VariantScorer scorer, GenePanel panel, List<String> outputs, Path vcf, Path out)
            throws IOException {
        if (!Files.isRegularFile(vcf)) {
            throw new java.nio.file.NoSuchFileException(vcf.toString(), null, "VCF not found");
        }
        long t0 = System.nanoTime();
        long records = 0;
        long alleles = 0;
        long snvs = 0;
        long indels = 0;
        long outside = 0;
        long mismatches = 0;
        long symbolic = 0;
        List<String> examples = new ArrayList<>();
        Map<String, Long> skipped = new LinkedHashMap<>();
        Set<String> notAnnotated = new java.util.TreeSet<>();
        Map<String, String> contigMap = new HashMap<>();
        Set<String> finishedContigs = new HashSet<>();
        String currentContig = null;
        long lastPos = 0;
        List<Row> rows = new ArrayList<>();
        try (VCFFileReader reader = new VCFFileReader(vcf, false)) {
            var it = reader.iterator();
            while (true) {
                VariantContext vc;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    vc = it.next();
                } catch (RuntimeException e) {
                    throw new InputFormatException(vcf, 0, "cannot read record " + (records + 1) + " (after " + currentContig + ":"
                            + lastPos + "): " + e.getMessage() + "; the file is truncated or malformed");
                }
                records++;
                String contig = vc.getContig();
                long pos = vc.getStart();
                if (!contig.equals(currentContig)) {
                    if (currentContig != null) {
                        finishedContigs.add(currentContig);
                    }
                    if (finishedContigs.contains(contig)) {
                        throw new InputFormatException(vcf, 0, "record " + records + " (" + contig + ":" + pos + "): contig "
                                + contig + " appears again after other contigs; sort the VCF (bcftools sort)");
                    }
                    currentContig = contig;
                } else if (pos < lastPos) {
                    throw new InputFormatException(vcf, 0, "record " + records + " (" + contig + ":" + pos + ") comes after "
                            + contig + ":" + lastPos + ": the VCF is not sorted (bcftools sort)");
                }
                lastPos = pos;
                String annotated = contigMap.computeIfAbsent(contig, c -> panel.contigs().contains(c) ? c
                        : panel.contigs().contains(toggleChr(c)) ? toggleChr(c) : "");
                if (annotated.isEmpty()) {
                    notAnnotated.add(contig);
                    alleles += vc.getAlternateAlleles().size();
                    outside += vc.getAlternateAlleles().size();
                    continue;
                }
                String ref = vc.getReference().getBaseString();
                String id = vc.hasID() ? vc.getID() : contig + ":" + pos;
                for (Allele a : vc.getAlternateAlleles()) {
                    alleles++;
                    if (a.isSymbolic() || a.getBaseString().isEmpty() || a.getDisplayString().equals("*")) {
                        symbolic++;
                        continue;
                    }
                    VariantScorer.Outcome o = scorer.score(annotated, pos, ref, a.getBaseString());
                    switch (o) {
                        case VariantScorer.OutsideWindows ignored -> outside++;
                        case VariantScorer.RefMismatch m -> {
                            mismatches++;
                            if (examples.size() < 5) {
                                examples.add(contig + ":" + pos + " REF " + m.expected() + ", genome " + m.genome());
                            }
                        }
                        case VariantScorer.Skipped s -> skipped.merge(s.reason(), 1L, Long::sum);
                        case VariantScorer.Scored s -> {
                            for (VariantScorer.Effect e : s.effects()) {
                                rows.add(new Row(id, contig, pos, ref, a.getBaseString(), e));
                            }
                            if (s.effects().getFirst().kind() == VariantScorer.Kind.SNV) {
                                snvs++;
                            } else {
                                indels++;
                            }
                        }
                    }
                }
            }
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            throw new InputFormatException(vcf, 0, "cannot read it as VCF/BCF: " + e.getMessage());
        }
        if (notAnnotated.size() > 0 && contigMap.values().stream().allMatch(String::isEmpty)) {
            throw new InputFormatException(vcf, 0, "none of the VCF's contigs " + head(notAnnotated) + " is among the annotation's "
                    + head(panel.contigs()) + ": the VCF is from another genome build or region; nothing was scored");
        }
        long checked = mismatches + snvs + indels;
        if (checked >= 10 && mismatches * 10 >= checked * 9) {
            throw new InputFormatException(vcf, 0, "REF alleles disagree with the genome at " + mismatches + " of " + checked
                    + " alleles inside gene windows (e.g. " + examples + "): the VCF is probably from another genome build;"
                    + " nothing was scored");
        }
        write(rows, outputs, panel.geometry().upstream(), out);
        return new Summary(records, alleles, snvs, indels, rows.size(), outside, mismatches, List.copyOf(examples), symbolic,
                skipped, notAnnotated, System.nanoTime() - t0);
    }

    private static void write(List<Row> rows, List<String> outputs, int upstream, Path out) throws IOException {
        Map<String, List<Row>> byGene = new HashMap<>();
        for (Row r : rows) {
            byGene.computeIfAbsent(r.effect().gene().transcript().geneId(), g -> new ArrayList<>()).add(r);
        }
        Map<Row, Integer> rank = new java.util.IdentityHashMap<>();
        for (List<Row> g : byGene.values()) {
            List<Row> sorted = new ArrayList<>(g);
            sorted.sort(Comparator.comparingDouble(Row::strength).reversed());
            for (int i = 0; i < sorted.size(); i++) {
                rank.put(sorted.get(i), i + 1);
            }
        }
        try (AtomicTextFile f = new AtomicTextFile(out)) {
            Writer w = f.writer();
            w.write("variant\tcontig\tposition\tref\talt\tgene_id\tgene_name\tstrand\toffset\tkind\trank_in_gene");
            for (String o : outputs) {
                w.write("\t" + o);
            }
            w.write('\n');
            StringBuilder sb = new StringBuilder(256);
            for (Row r : rows) {
                var t = r.effect().gene().transcript();
                sb.setLength(0);
                sb.append(r.id()).append('\t').append(r.contig()).append('\t').append(r.pos()).append('\t').append(r.ref())
                        .append('\t').append(r.alt()).append('\t').append(t.geneId()).append('\t')
                        .append(t.geneName() == null ? "" : t.geneName()).append('\t').append(t.strand().symbol()).append('\t')
                        .append(r.effect().windowPosition() - upstream)
                        .append('\t').append(r.effect().kind()).append('\t').append(rank.get(r));
                for (float v : r.effect().delta()) {
                    sb.append('\t').append(v);
                }
                sb.append('\n');
                w.write(sb.toString());
            }
            f.commit();
        }
    }

    private static String toggleChr(String c) {
        return c.startsWith("chr") ? c.substring(3) : "chr" + c;
    }

    private static String head(java.util.Collection<String> names) {
        List<String> l = new ArrayList<>(names);
        return l.size() <= 5 ? l.toString() : l.subList(0, 5) + " and " + (l.size() - 5) + " more";
    }
}
