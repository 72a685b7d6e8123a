package dev.scep.runtime.variants;

import dev.scep.formats.io.OutputFile;
import dev.scep.formats.io.TemporaryFiles;
import dev.scep.formats.vcf.SortedVcf;
import htsjdk.tribble.index.IndexFactory;
import htsjdk.tribble.index.tabix.TabixFormat;
import htsjdk.variant.variantcontext.VariantContext;
import htsjdk.variant.variantcontext.VariantContextBuilder;
import htsjdk.variant.variantcontext.writer.Options;
import htsjdk.variant.variantcontext.writer.VariantContextWriter;
import htsjdk.variant.variantcontext.writer.VariantContextWriterBuilder;
import htsjdk.variant.vcf.VCFCodec;
import htsjdk.variant.vcf.VCFHeader;
import htsjdk.variant.vcf.VCFHeaderLine;
import htsjdk.variant.vcf.VCFHeaderLineCount;
import htsjdk.variant.vcf.VCFHeaderLineType;
import htsjdk.variant.vcf.VCFInfoHeaderLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scored table as an annotated VCF, the way VEP writes {@code CSQ}: every input record, unchanged, with one
 * {@code SCEP} INFO value per (ALT allele, gene) effect, {@code Allele|Gene|Symbol|Strand|Offset|Kind|Rank|<output>...}
 * (and the motif columns when scanned), the format spelled out in the header, beside lines naming the model, its
 * fingerprint and the command. A name ending in {@code .gz} is BGZF-compressed with a tabix index ({@code .tbi})
 * beside it, readable by {@code bcftools} and htsjdk. Made from the table {@link VariantScoringJob} writes (rows
 * in file order), merged back with the input records in one pass. Stateless.
 */
final class VcfAnnotation {
    static final String INFO_KEY = "SCEP";

    private VcfAnnotation() {
    }

    /** One row of the table, the fields the merge needs and the value it becomes. */
    private record Row(String variant, String contig, long position, String ref, String alt, String gene, String value) {
    }

    /**
     * Writes {@code out} from the input VCF and the scored table.
     *
     * @param vcf         the input VCF (read again, in order)
     * @param table       the scored table, as {@link VariantScoringJob} wrote it
     * @param out         the VCF to write (BGZF and indexed when its name ends in {@code .gz})
     * @param outputs     the model's output names
     * @param provenance  extra header lines, {@code key=value} each, written as {@code ##scep_key=value}
     * @param inputs      files no output may replace
     */
    static void write(Path vcf, Path table, Path out, List<String> outputs, List<String> provenance, List<Path> inputs)
            throws IOException {
        boolean bgzf = OutputFile.bgzf(out);
        try (BufferedReader rows = Files.newBufferedReader(table, StandardCharsets.UTF_8);
             SortedVcf reader = new SortedVcf(vcf);
             OutputFile file = OutputFile.create(out, inputs)) {
            String first = dev.scep.formats.io.Provenance.skip(rows);
            if (first == null) {
                throw new IOException(table + ": the scored table is empty (not even a header)");
            }
            String[] header = first.split("\t", -1);
            int firstOutput = 11;
            boolean motifs = header.length > firstOutput + outputs.size();
            // a VCF scored before keeps none of that run's SCEP lines: old and new results must not mix
            java.util.Set<VCFHeaderLine> others = new java.util.LinkedHashSet<>();
            for (VCFHeaderLine line : reader.header().getMetaDataInInputOrder()) {
                boolean ours = line.getKey().startsWith("scep_")
                        || (line instanceof VCFInfoHeaderLine info && info.getID().equals(INFO_KEY));
                if (!ours) {
                    others.add(line);
                }
            }
            VCFHeader h = new VCFHeader(others, reader.header().getGenotypeSamples());
            StringBuilder format = new StringBuilder("Allele|Gene|Symbol|Strand|Offset|Kind|Rank");
            for (String o : outputs) {
                format.append('|').append(encode(o));
            }
            if (motifs) {
                format.append("|MotifId|MotifName|MotifRefScore|MotifAltScore|MotifChange|MotifEffect|MotifStrand|MotifOffset");
            }
            h.addMetaDataLine(new VCFInfoHeaderLine(INFO_KEY, VCFHeaderLineCount.UNBOUNDED, VCFHeaderLineType.String,
                    "Predicted change in expression (log10, mutant - reference) of each gene whose TSS window the ALT allele"
                            + " touches, by scep; Offset from the TSS in transcription orientation; Rank of the variant's effect"
                            + " among the gene's variants (1 = largest). Format: " + format));
            for (String line : provenance) {
                int eq = line.indexOf('=');
                h.addMetaDataLine(new VCFHeaderLine("scep_" + line.substring(0, eq), line.substring(eq + 1)));
            }
            // htsjdk's writer closes its stream when done; the OutputFile must stay open until committed
            OutputStream stream = OutputFile.keptOpen(file.stream());   // bgzip by name: the OutputFile compresses
            VariantContextWriter writer = new VariantContextWriterBuilder().setOutputVCFStream(stream)
                    .unsetOption(Options.INDEX_ON_THE_FLY).setOption(Options.ALLOW_MISSING_FIELDS_IN_HEADER).build();
            writer.writeHeader(h);
            Row next = read(rows, outputs.size(), motifs);
            VariantContext vc;
            while ((vc = reader.next()) != null) {
                String id = vc.hasID() ? vc.getID() : vc.getContig() + ":" + vc.getStart();
                String ref = vc.getReference().getBaseString();
                Set<String> alts = new HashSet<>();
                vc.getAlternateAlleles().forEach(a -> alts.add(a.getBaseString()));
                Set<String> taken = new HashSet<>();
                List<String> values = new ArrayList<>();
                while (next != null && next.contig().equals(vc.getContig()) && next.position() == vc.getStart()
                        && next.ref().equals(ref) && next.variant().equals(id) && alts.contains(next.alt())
                        && taken.add(next.alt() + "\t" + next.gene())) {
                    values.add(next.value());
                    next = read(rows, outputs.size(), motifs);
                }
                VariantContextBuilder b = new VariantContextBuilder(vc).rmAttribute(INFO_KEY);
                writer.add(values.isEmpty() ? b.make() : b.attribute(INFO_KEY, values).make());
            }
            if (next != null) {
                throw new IOException(vcf + ": the scored row of " + next.contig() + ":" + next.position() + " " + next.ref()
                        + ">" + next.alt() + " (" + next.gene() + ") matches no record on reading the VCF again: was it"
                        + " changed while scep ran?");
            }
            writer.close();   // finishes the BGZF stream (its end-of-file block) without closing the OutputFile
            file.commit();
        }
        if (bgzf && Files.isRegularFile(out)) {
            Path tbi = out.resolveSibling(out.getFileName() + ".tbi");
            Path tmp = TemporaryFiles.beside(tbi, ".tmp");
            try {
                IndexFactory.createTabixIndex(out.toFile(), new VCFCodec(), TabixFormat.VCF, null).write(tmp);
                Files.move(tmp, tbi, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                TemporaryFiles.delete(tmp);
            }
        }
    }

    private static Row read(BufferedReader rows, int outputs, boolean motifs) throws IOException {
        String line = rows.readLine();
        if (line == null) {
            return null;
        }
        String[] f = line.split("\t", -1);
        StringBuilder v = new StringBuilder(encode(f[4]));
        for (int i = 5; i <= 10; i++) {
            v.append('|').append(encode(f[i]));
        }
        for (int i = 11; i < f.length; i++) {
            v.append('|').append(encode(f[i]));
        }
        return new Row(f[0], f[1], Long.parseLong(f[2]), f[3], f[4], f[5], v.toString());
    }

    /** VCF 4.3's percent-encoding of the characters an INFO value cannot hold, and of '|' which splits our fields. */
    static String encode(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String e = switch (c) {
                case '%' -> "%25";
                case ',' -> "%2C";
                case ';' -> "%3B";
                case '=' -> "%3D";
                case '|' -> "%7C";
                case ' ' -> "%20";
                default -> null;
            };
            if (e != null && sb == null) {
                sb = new StringBuilder(s.substring(0, i));
            }
            if (sb != null) {
                sb.append(e != null ? e : String.valueOf(c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
