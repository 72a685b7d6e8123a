package dev.scep.runtime.variants;

import dev.scep.runtime.variants.VariantScoring.Progress;
import dev.scep.runtime.variants.VariantScoring.Summary;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.text.InputFormatException;
import dev.scep.formats.vcf.SortedVcf;
import dev.scep.runtime.concurrent.InOrderWorkers;
import htsjdk.variant.variantcontext.VariantContext;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A VCF or BCF (plain or bgzip, read with htsjdk) scored against a {@link GenePanel}: every allele of every record
 * whose REF overlaps any gene's window, per population, with multi-allelic records split, REF checked against the
 * genome, symbolic alleles skipped with a count, and ALT alleles with an IUPAC ambiguity code (N and the others)
 * counted as ambiguous, never scored. Rows: {@code variant, contig, position, ref, alt, gene_id, gene_name, strand,
 * offset, kind, rank_in_gene, <output>...} (offset: of {@code position} from the TSS in transcription orientation;
 * beyond the window for a deletion that starts outside it and reaches in; kind: {@code SNV}, {@code MNP} (REF and
 * ALT of one length, several bases: the substitutions applied together) or {@code INDEL} (any other length change)),
 * where rank 1 is the variant with the largest effect (over all outputs) on that gene: the GWAS prioritisation of the
 * paper. With a {@link MotifScan}, eight columns follow the outputs: {@code motif_id, motif_name, motif_ref_score,
 * motif_alt_score, motif_change, motif_effect, motif_strand, motif_offset} (per allele, the same on each of its genes;
 * scores in bits with three decimals, the change computed from the rounded scores; {@code .} when no motif fits).
 *
 * <p>One thread reads and checks the records (order, contigs) and hands chunks of alleles to the scoring threads,
 * each with its own {@link VariantScorer}; results are merged back in file order. Memory stays bounded: the VCF is
 * sorted, so a gene's ranks are final once the reader has passed the end of its window, and rows are written as
 * soon as every row before them is ranked. The output appears atomically at the end, or not at all.
 */
final class VariantScoringJob {
    private static final int CHUNK = 2048;

    /** One allele to score, as read; {@code contig} is the annotation's name for the VCF's contig. */
    private record Allele(String id, String vcfContig, String contig, long pos, String ref, String alt) {
    }

    /**
     * A scored row: where its text before and after the rank column lies in its chunk's UTF-8 text, and its
     * strength over all outputs for the ranking. Rows are formatted on the scoring threads; the writer only copies.
     */
    private static final class Row {
        final GenePanel.Gene gene;
        final ChunkResult chunk;
        final int headStart;
        final int headEnd;       // = the tail's start
        final int tailEnd;
        final float strength;
        int rank;

        Row(GenePanel.Gene gene, ChunkResult chunk, int headStart, int headEnd, int tailEnd, float strength) {
            this.gene = gene;
            this.chunk = chunk;
            this.headStart = headStart;
            this.headEnd = headEnd;
            this.tailEnd = tailEnd;
            this.strength = strength;
        }
    }

    /** What one chunk gave: its rows in file order, their text, and its counts. */
    private static final class ChunkResult {
        final List<Row> rows = new ArrayList<>();
        byte[] text;
        long snvs;
        long mnps;
        long indels;
        long outside;
        long ambiguous;
        long mismatches;
        final List<String> examples = new ArrayList<>();
        final Map<String, Long> skipped = new LinkedHashMap<>();
        String lastContig;
        long lastPos;
    }

    private VariantScoringJob() {
    }

    /**
     * Scores {@code vcf} (only the records starting in {@code regions}, when not null) on {@code threads} threads,
     * each with its own scorer from {@code scorers} (closed at the end when {@code closeScorers}), and writes
     * {@code out}. With regions, the genome-build check is the caller's, over all its regions' summaries.
     */
    static Summary run(Supplier<VariantScorer> scorers, boolean closeScorers, int threads, GenePanel panel,
                       List<String> outputs, MotifScan motifs, Path vcf, List<SortedVcf.Region> regions, Path out,
                       Progress progress) throws IOException {
        long t0 = System.nanoTime();
        long alleles = 0;
        long outsideUnannotated = 0;
        long symbolic = 0;
        Set<String> notAnnotated = new java.util.TreeSet<>();
        Map<String, String> contigMap = new HashMap<>();
        List<Allele> chunk = new ArrayList<>(CHUNK);
        List<Path> inputs = new ArrayList<>(panel.sources());
        inputs.add(vcf);
        Merger merger = new Merger(panel, outputs, motifs != null, out, inputs);
        try (SortedVcf reader = new SortedVcf(vcf, regions);
             InOrderWorkers<ChunkResult> workers = new InOrderWorkers<>("scep-variants", threads, 2 * threads, merger::merge)) {
            Supplier<VariantScorer> scorer = closeScorers ? workers.perThread(scorers) : scorers;
            VariantContext vc;
            while ((vc = reader.next()) != null) {
                if ((reader.records() & 0xFFFF) == 0) {
                    progress.update(reader.records(), alleles);
                }
                String contig = vc.getContig();
                long pos = vc.getStart();
                String annotated = contigMap.computeIfAbsent(contig, c -> java.util.Objects.requireNonNullElse(panel.annotatedContig(c), ""));
                if (annotated.isEmpty()) {
                    notAnnotated.add(contig);
                    alleles += vc.getAlternateAlleles().size();
                    outsideUnannotated += vc.getAlternateAlleles().size();
                    continue;
                }
                String ref = vc.getReference().getBaseString();
                String id = vc.hasID() ? vc.getID() : contig + ":" + pos;
                String problem = dev.scep.formats.text.TsvField.problem("ID", id);   // the ID goes into the table
                if (problem != null) {
                    throw new InputFormatException(vcf, 0, "record " + reader.records() + ": " + problem);
                }
                for (htsjdk.variant.variantcontext.Allele a : vc.getAlternateAlleles()) {
                    alleles++;
                    if (SortedVcf.isSymbolic(a)) {
                        symbolic++;
                        continue;
                    }
                    chunk.add(new Allele(id, contig, annotated, pos, ref, a.getBaseString()));
                }
                if (chunk.size() >= CHUNK) {
                    List<Allele> full = chunk;
                    workers.submit(() -> score(full, scorer.get(), panel, motifs));
                    chunk = new ArrayList<>(CHUNK);
                }
            }
            List<Allele> last = chunk;
            if (!last.isEmpty()) {
                workers.submit(() -> score(last, scorer.get(), panel, motifs));
            }
            workers.finish();
            progress.update(reader.records(), alleles);
            if (regions == null && notAnnotated.size() > 0 && contigMap.values().stream().allMatch(String::isEmpty)) {
                throw panel.noContigAnnotated(vcf, notAnnotated, "nothing was scored");
            }
            if (regions == null) {
                counts(reader, alleles, merger, outsideUnannotated, symbolic, notAnnotated, t0).requireSameBuild(vcf);
            }
            merger.finish();
            return counts(reader, alleles, merger, outsideUnannotated, symbolic, notAnnotated, t0);
        } catch (htsjdk.tribble.TribbleException | htsjdk.samtools.SAMException e) {
            merger.abandon();
            throw SortedVcf.unreadable(vcf, e);
        } catch (IOException | RuntimeException e) {
            merger.abandon();
            throw e;
        }
    }

    private static Summary counts(SortedVcf reader, long alleles, Merger merger, long outsideUnannotated, long symbolic,
                                  Set<String> notAnnotated, long t0) {
        return new Summary(reader.records(), alleles, merger.snvs, merger.mnps, merger.indels, merger.written,
                outsideUnannotated + merger.outside, merger.mismatches, List.copyOf(merger.examples), symbolic, merger.ambiguous,
                merger.skipped, notAnnotated, System.nanoTime() - t0);
    }

    /** Scores one chunk on a worker thread, formatting its rows there too. */
    private static ChunkResult score(List<Allele> chunk, VariantScorer scorer, GenePanel panel, MotifScan motifs) {
        ChunkResult r = new ChunkResult();
        int upstream = panel.geometry().upstream();
        StringBuilder sb = new StringBuilder(chunk.size() * 360);   // every row of the chunk, encoded once at the end
        for (Allele a : chunk) {
            VariantScorer.Outcome o = scorer.score(a.contig(), a.pos(), a.ref(), a.alt());
            switch (o) {
                case VariantScorer.OutsideWindows ignored -> r.outside++;
                case VariantScorer.Ambiguous ignored -> r.ambiguous++;
                case VariantScorer.RefMismatch m -> {
                    r.mismatches++;
                    if (r.examples.size() < 5) {
                        r.examples.add(a.vcfContig() + ":" + a.pos() + " REF " + m.expected() + ", genome " + m.genome());
                    }
                }
                case VariantScorer.Skipped s -> r.skipped.merge(s.reason(), 1L, Long::sum);
                case VariantScorer.Scored s -> {
                    String motif = motifs == null ? null : motifColumns(motifs.scan(s.effects().getFirst().gene(), a.pos(),
                            a.ref().toUpperCase(java.util.Locale.ROOT), a.alt().toUpperCase(java.util.Locale.ROOT)));
                    for (VariantScorer.Effect e : s.effects()) {
                        var t = e.gene().transcript();
                        int headStart = sb.length();
                        sb.append(a.id()).append('\t').append(a.vcfContig()).append('\t').append(a.pos()).append('\t')
                                .append(a.ref()).append('\t').append(a.alt()).append('\t').append(t.geneId()).append('\t')
                                .append(t.geneName() == null ? "" : t.geneName()).append('\t').append(t.strand().symbol())
                                .append('\t').append(e.windowPosition() - upstream).append('\t').append(e.kind());
                        int headEnd = sb.length();
                        float strength = 0;
                        for (float v : e.delta()) {
                            sb.append('\t').append(v);
                            strength = Math.max(strength, Math.abs(v));
                        }
                        if (motif != null) {
                            sb.append(motif);
                        }
                        r.rows.add(new Row(e.gene(), r, headStart, headEnd, sb.length(), strength));
                    }
                    switch (s.effects().getFirst().kind()) {
                        case SNV -> r.snvs++;
                        case MNP -> r.mnps++;
                        case INDEL -> r.indels++;
                    }
                }
            }
            r.lastContig = a.contig();
            r.lastPos = a.pos();
        }
        String text = sb.toString();
        r.text = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (r.text.length != text.length()) {
            // non-ASCII names (UTF-8 takes more bytes than chars): encode row by row to find the byte offsets
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(r.text.length);
            List<Row> rows = new ArrayList<>(r.rows.size());
            for (Row old : r.rows) {   // offsets so far are char offsets
                int start = bytes.size();
                bytes.writeBytes(text.substring(old.headStart, old.headEnd).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                int mid = bytes.size();
                bytes.writeBytes(text.substring(old.headEnd, old.tailEnd).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                rows.add(new Row(old.gene, r, start, mid, bytes.size(), old.strength));
            }
            r.rows.clear();
            r.rows.addAll(rows);
            r.text = bytes.toByteArray();
        }
        return r;
    }

    /** The motif columns of an allele, each after a tab. */
    static String motifColumns(MotifScan.Change c) {
        if (c == null) {
            return "\t.\t.\t.\t.\t.\t.\t.\t.";
        }
        long ref = Math.round(c.ref().score() * 1000);
        long alt = Math.round(c.alt().score() * 1000);
        String effect = alt > ref ? "gained" : alt < ref ? "lost" : "none";
        MotifScan.Match best = alt > ref ? c.alt() : c.ref();
        return "\t" + c.motif().id() + "\t" + c.motif().name() + "\t" + thousandths(ref) + "\t" + thousandths(alt) + "\t"
                + thousandths(alt - ref) + "\t" + effect + "\t" + best.strand() + "\t" + best.offset();
    }

    /** v / 1000 with exactly three decimals. */
    private static String thousandths(long v) {
        long a = Math.abs(v);
        String frac = String.valueOf(1000 + a % 1000).substring(1);
        return (v < 0 ? "-" : "") + a / 1000 + "." + frac;
    }

    /**
     * Takes chunk results in file order, ranks each gene's rows once the reader has passed its window, and writes
     * rows as soon as they and every row before them are ranked.
     */
    private static final class Merger {
        final GenePanel panel;
        final OutputFile file;
        final java.io.OutputStream w;
        final ArrayDeque<Row> pending = new ArrayDeque<>();
        final Map<GenePanel.Gene, List<Row>> open = new java.util.IdentityHashMap<>();
        final byte[] digits = new byte[12];
        long snvs;
        long mnps;
        long indels;
        long outside;
        long ambiguous;
        long mismatches;
        long written;
        final List<String> examples = new ArrayList<>();
        final Map<String, Long> skipped = new LinkedHashMap<>();

        Merger(GenePanel panel, List<String> outputs, boolean motifs, Path out, List<Path> inputs) throws IOException {
            this.panel = panel;
            this.file = OutputFile.createTable(out, inputs);
            Writer header = file.writer();
            header.write("variant\tcontig\tposition\tref\talt\tgene_id\tgene_name\tstrand\toffset\tkind\trank_in_gene");
            for (String o : outputs) {
                header.write("\t" + o);
            }
            if (motifs) {
                header.write("\tmotif_id\tmotif_name\tmotif_ref_score\tmotif_alt_score\tmotif_change\tmotif_effect\tmotif_strand"
                        + "\tmotif_offset");
            }
            header.write('\n');
            this.w = file.stream();
        }

        void merge(ChunkResult r) throws IOException {
            snvs += r.snvs;
            mnps += r.mnps;
            indels += r.indels;
            outside += r.outside;
            ambiguous += r.ambiguous;
            mismatches += r.mismatches;
            for (String e : r.examples) {
                if (examples.size() < 5) {
                    examples.add(e);
                }
            }
            r.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
            for (Row row : r.rows) {
                pending.add(row);
                open.computeIfAbsent(row.gene, g -> new ArrayList<>()).add(row);
            }
            // genes the reader has left behind (another contig, or past the window's end) have all their rows
            List<GenePanel.Gene> done = new ArrayList<>();
            for (GenePanel.Gene g : open.keySet()) {
                if (!g.transcript().contig().equals(r.lastContig) || panel.windowSpan(g)[1] < r.lastPos) {
                    done.add(g);
                }
            }
            done.forEach(this::rank);
            flush();
        }

        private void rank(GenePanel.Gene g) {
            List<Row> rows = open.remove(g);
            rows.sort(Comparator.comparingDouble((Row x) -> x.strength).reversed()); // stable: file order on ties
            for (int i = 0; i < rows.size(); i++) {
                rows.get(i).rank = i + 1;
            }
        }

        private void flush() throws IOException {
            while (!pending.isEmpty() && pending.peek().rank != 0) {
                Row row = pending.poll();
                byte[] text = row.chunk.text;
                w.write(text, row.headStart, row.headEnd - row.headStart);
                w.write('\t');
                int d = digits.length;
                for (int v = row.rank; v > 0; v /= 10) {
                    digits[--d] = (byte) ('0' + v % 10);
                }
                w.write(digits, d, digits.length - d);
                w.write(text, row.headEnd, row.tailEnd - row.headEnd);
                w.write('\n');
                written++;
            }
        }

        void finish() throws IOException {
            new ArrayList<>(open.keySet()).forEach(this::rank);
            flush();
            file.commit();
            file.close();
        }

        void abandon() {
            try {
                file.close();   // without commit: the temporary file goes, the target is untouched
            } catch (IOException ignored) {
                // nothing was promised about a half-written temporary file
            }
        }
    }
}
