package dev.scep.runtime;

import dev.scep.formats.model.HalfLifeFeature;
import dev.scep.formats.model.ScepModel;
import dev.scep.formats.text.HalfLifeTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Where the half-life features of each window come from. */
public interface HalfLifeSource {
    /**
     * The features of one window.
     *
     * @param id    the window's id (the FASTA record name)
     * @param where names the window for error messages (file and line)
     * @return its half-life input
     * @throws IllegalArgumentException when the source has no features for {@code id}
     */
    HalfLifeInput forId(String id, String where);

    /**
     * The file the features are read from: outputs must not overwrite it.
     *
     * @return the file, or null for none
     */
    default java.nio.file.Path file() {
        return null;
    }

    /**
     * Every feature at its training mean (normalised value 0) for every window.
     *
     * @param model the model (its number of features)
     * @return the source
     */
    static HalfLifeSource zeros(ScepModel model) {
        HalfLifeInput z = HalfLifeInput.zeros(model.halfLifeFeatures().size());
        return (id, where) -> z;
    }

    /**
     * Raw values from a table. Columns are matched to the model's features by name when the names agree (in any
     * order), else by position with a warning; a different number of columns is an error.
     *
     * @param table a half-life table (as {@code scep prepare --halflife-out} writes)
     * @param model the model whose features the columns must match
     * @return the source
     * @throws IllegalArgumentException when the table has another number of feature columns than the model needs
     */
    static HalfLifeSource table(HalfLifeTable table, ScepModel model) {
        List<String> wanted = model.halfLifeFeatures().stream().map(HalfLifeFeature::name).toList();
        List<String> have = table.featureNames();
        if (have.size() != wanted.size()) {
            throw new IllegalArgumentException(table.file() + ": has " + have.size() + " feature column(s) " + have
                    + " but the model needs " + wanted.size() + " " + wanted);
        }
        int[] column = new int[wanted.size()];
        if (have.containsAll(wanted)) {
            for (int i = 0; i < wanted.size(); i++) {
                column[i] = have.indexOf(wanted.get(i));
            }
        } else {
            Logger log = LoggerFactory.getLogger(HalfLifeSource.class);
            log.warn("{}: feature columns {} do not carry the model's names {}; using them in file order",
                    table.file(), have, wanted);
            for (int i = 0; i < column.length; i++) {
                column[i] = i;
            }
        }
        return new HalfLifeSource() {
            @Override
            public HalfLifeInput forId(String id, String where) {
                double[] row = table.get(id);
                if (row == null) {
                    throw new IllegalArgumentException(table.file() + " has no row for window '" + id + "' (" + where + ")");
                }
                double[] ordered = new double[column.length];
                for (int i = 0; i < column.length; i++) {
                    ordered[i] = row[column[i]];
                }
                return HalfLifeInput.raw(ordered);
            }

            @Override
            public java.nio.file.Path file() {
                return table.file();
            }
        };
    }
}
