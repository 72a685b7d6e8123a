package dev.scep.train.analysis;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The nesting in population names that {@code scep prepare --nested} writes: {@code tissue=t/class=c/subclass=s},
 * one {@code column=value} step per level, outermost first. A value may itself hold '/' (e.g. {@code L2/3 IT}): a
 * step starts only where '/' is followed by a {@code column=}. The whole-tissue population {@code all} is the root,
 * depth 0, and the ancestor of every population. Stateless.
 */
final class PopulationPath {
    private static final Pattern STEP = Pattern.compile("/(?=[^/=]+=)");

    private PopulationPath() {
    }

    /** The steps of a name ({@code all}: none). */
    static List<String> steps(String name) {
        return name.equals("all") ? List.of() : List.of(STEP.split(name));
    }

    /** The number of steps: 0 for {@code all}, 1 for {@code tissue=t}, … */
    static int depth(String name) {
        return steps(name).size();
    }

    /** The name of the level at a depth, from a population of that depth or deeper: the column of its step. */
    static String level(String name, int depth) {
        if (depth == 0) {
            return "all";
        }
        String step = steps(name).get(depth - 1);
        int eq = step.indexOf('=');
        return eq > 0 ? step.substring(0, eq) : "level " + depth;
    }

    /** The ancestor at a depth, at most the name's own: its first {@code depth} steps, {@code all} at depth 0. */
    static String ancestor(String name, int depth) {
        return depth == 0 ? "all" : String.join("/", steps(name).subList(0, depth));
    }
}
