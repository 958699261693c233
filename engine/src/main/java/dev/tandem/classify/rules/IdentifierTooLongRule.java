package dev.tandem.classify.rules;

import dev.tandem.classify.Rule;
import dev.tandem.classify.RuleContext;
import dev.tandem.classify.StatementClass;
import dev.tandem.sql.AlterAction;
import dev.tandem.sql.Change;
import dev.tandem.sql.ColumnDef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL truncates identifiers longer than 63 bytes (NAMEDATALEN - 1) with only a NOTICE
 * ("identifier … will be truncated"): two long names that share their first 63 bytes collide, and
 * tools that compare names see a different one than the migration wrote. Style advice for the names
 * a migration creates (tables, columns, indexes, constraints, views, types, schemas, sequences).
 */
public final class IdentifierTooLongRule implements Rule {
    public static final String ID = "identifier-too-long";
    private static final int MAX_BYTES = 63;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String summary() {
        return "Identifiers longer than 63 bytes are silently truncated";
    }

    @Override
    public void check(RuleContext ctx) {
        List<String> names = new ArrayList<>();
        switch (ctx.change()) {
            case Change.CreateTable ct -> {
                names.add(ct.name().name());
                for (ColumnDef c : ct.columns()) {
                    names.add(c.name());
                    c.constraints().forEach(k -> names.add(k.name()));
                }
                ct.constraints().forEach(k -> names.add(k.name()));
            }
            case Change.CreateIndex ci -> names.add(ci.name() == null ? null : ci.name().name());
            case Change.CreateView cv -> names.add(cv.name().name());
            case Change.CreateType t -> names.add(t.name().name());
            case Change.CreateDomain d -> names.add(d.name().name());
            case Change.CreateSchema s -> names.add(s.name());
            case Change.SequenceChange s when "create".equals(s.verb()) -> s.names().forEach(n -> names.add(n.name()));
            case Change.AlterTable at -> {
                for (AlterAction a : at.actions()) {
                    switch (a) {
                        case AlterAction.AddColumn add -> {
                            names.add(add.column().name());
                            add.column().constraints().forEach(k -> names.add(k.name()));
                        }
                        case AlterAction.AddConstraint ac -> names.add(ac.constraint().name());
                        case AlterAction.RenameColumn rc -> names.add(rc.to());
                        case AlterAction.RenameConstraint rc -> names.add(rc.to());
                        case AlterAction.RenameTable rt -> names.add(rt.newName());
                        default -> { }
                    }
                }
            }
            case Change.AlterIndex ai when "rename".equalsIgnoreCase(ai.action()) -> names.add(ai.target());
            default -> { }
        }
        Set<String> tooLong = new LinkedHashSet<>();
        for (String n : names) {
            if (n != null && n.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) tooLong.add(n);
        }
        for (String n : tooLong) {
            int bytes = n.getBytes(StandardCharsets.UTF_8).length;
            ctx.report(StatementClass.COMPATIBLE,
                    "Identifier \"" + n + "\" is " + bytes + " bytes: PostgreSQL truncates it to 63 bytes (\"" + truncated(n)
                            + "\") with only a NOTICE, so names sharing those bytes collide and tools see a different name.",
                    "Shorten it to at most 63 bytes.");
        }
    }

    /** The first 63 bytes, cut at a character boundary like PostgreSQL does. */
    private static String truncated(String n) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_BYTES) break;
            sb.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }
}
