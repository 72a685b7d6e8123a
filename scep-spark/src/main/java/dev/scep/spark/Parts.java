package dev.scep.spark;

import dev.scep.formats.io.OutputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tasks' tables in the work folder, one per (model, part), each with the header of the single-machine table and
 * written with write-then-rename (a retried attempt replaces its part whole), and what the driver makes of them: the
 * single-machine table (parts concatenated in order, one header) or a Parquet dataset. Stateless.
 */
final class Parts {
    private Parts() {
    }

    /** The table of one model's part. */
    static Path file(Path work, int model, int part) {
        return work.resolve(String.format(java.util.Locale.ROOT, "model-%03d/part-%06d.tsv", model, part));
    }

    /** Concatenates parts in the order given, keeping the first header only, into {@code target}, atomically. */
    static void concatenate(List<Path> parts, Path target, List<Path> inputs) throws IOException {
        // the driver's provenance lines first; the parts' own (written in local mode) are left out, as are all but the
        // first part's header
        try (OutputFile f = OutputFile.createTable(target, inputs)) {
            OutputStream w = f.stream();
            for (int i = 0; i < parts.size(); i++) {
                try (InputStream raw = Files.newInputStream(parts.get(i));
                     java.io.BufferedInputStream in = new java.io.BufferedInputStream(raw, 1 << 16)) {
                    while (true) {
                        in.mark(1);
                        int first = in.read();
                        if (first == '#') {
                            skipLine(in);
                            continue;
                        }
                        in.reset();
                        break;
                    }
                    if (i > 0) {
                        skipLine(in);   // the header: the first part's is kept
                    }
                    in.transferTo(w);
                }
            }
            f.commit();
        }
    }

    private static void skipLine(InputStream in) throws IOException {
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            // to the end of the line
        }
    }

    /** Writes one model's parts as Parquet into {@code target}. */
    interface ModelParquet {
        void write(int model, List<Path> parts, Path target) throws IOException;
    }

    /**
     * Each model's parts assembled: as TSV, concatenated in order with one header ({@code out} itself for a single
     * model, else {@code out/<name>.tsv}); as Parquet, by {@code parquet} into {@code out/model=<name>}. {@code out}
     * is made a folder unless it is the one table.
     *
     * @return the outputs, in model order
     */
    static List<Path> assemble(Path out, List<String> names, ScoreVariantsJob.Format format, List<List<Path>> parts,
                               List<Path> inputs, ModelParquet parquet) throws IOException {
        boolean one = names.size() == 1 && format == ScoreVariantsJob.Format.TSV;
        if (!one) {
            OutputFile.folder(out);
        }
        List<Path> outputs = new ArrayList<>();
        for (int m = 0; m < names.size(); m++) {
            Path target;
            if (format == ScoreVariantsJob.Format.TSV) {
                target = one ? out : out.resolve(names.get(m) + ".tsv");
                concatenate(parts.get(m), target, inputs);
            } else {
                target = out.resolve("model=" + names.get(m));
                parquet.write(m, parts.get(m), target);
            }
            outputs.add(target);
        }
        return outputs;
    }

    /**
     * The parts as a Parquet dataset (zstd) in {@code target}, replacing an earlier one there, optionally partitioned
     * by a column. Columns are typed by name ({@code typeOf}).
     */
    static void toParquet(SparkSession spark, List<Path> parts, java.util.function.Function<String, org.apache.spark.sql.types.DataType> typeOf,
                          Path target, String partitionColumn) throws IOException {
        List<String> header;
        try (BufferedReader in = Files.newBufferedReader(parts.getFirst())) {
            header = List.of(dev.scep.formats.io.Provenance.skip(in).split("\t", -1));
        }
        List<StructField> fields = new ArrayList<>();
        for (String h : header) {
            fields.add(DataTypes.createStructField(h, typeOf.apply(h), true));
        }
        StructType schema = DataTypes.createStructType(fields);
        Dataset<Row> rows = spark.read().option("sep", "\t").option("header", "true").option("comment", "#").option("mode", "FAILFAST")
                .option("quote", "\u0000").option("nullValue", "").schema(schema)
                .csv(parts.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new));
        var writer = rows.write().mode("overwrite").option("compression", "zstd");
        if (partitionColumn != null) {
            writer = writer.partitionBy(partitionColumn);
        }
        writer.parquet(target.toString());
    }

    /**
     * The Spark type of a column type of the single-machine Parquet table, so both outputs type a column alike.
     */
    static org.apache.spark.sql.types.DataType sparkType(dev.scep.formats.io.ParquetTableWriter.Type type) {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case INT32 -> DataTypes.IntegerType;
            case INT64 -> DataTypes.LongType;
            case FLOAT -> DataTypes.FloatType;
            case DOUBLE -> DataTypes.DoubleType;
        };
    }

    /** Removes the work folder's parts (and the folder, when nothing else is left in it). */
    static void delete(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return;
        }
        try (Stream<Path> all = Files.walk(work)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                String name = p.getFileName().toString();
                boolean ours = p.equals(work) || name.matches("(model-\\d{3}|windows)") || name.matches("(part|block)-\\d{6}\\.(tsv|fa)");
                if (ours && (!Files.isDirectory(p) || isEmpty(p))) {
                    Files.delete(p);
                }
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
