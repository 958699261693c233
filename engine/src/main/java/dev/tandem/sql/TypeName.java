package dev.tandem.sql;

import java.util.List;

/**
 * A column type with PostgreSQL's aliases folded to one spelling, so that rules can compare types.
 *
 * <p>Canonical names: {@code smallint, integer, bigint, smallserial, serial, bigserial, numeric,
 * real, double precision, boolean, text, varchar, char, bytea, date, time, timetz, timestamp,
 * timestamptz, interval, uuid, json, jsonb, inet, cidr, macaddr, citext, xml, money, bit, varbit,
 * tsvector}; any other type keeps its lower-cased (schema-qualified where written) name, e.g. an
 * enum {@code "order_status"} or {@code "public.money_amount"}.
 *
 * @param name      canonical name (see above)
 * @param modifiers type modifiers as written: {@code varchar(100)} → [100], {@code numeric(10,2)}
 *                  → [10, 2], {@code timestamp(3)} → [3]; empty when none
 * @param arrayDims number of array dimensions ({@code text[]} → 1)
 * @param raw       the type as written in the statement
 */
public record TypeName(String name, List<Integer> modifiers, int arrayDims, String raw) {
    public TypeName {
        modifiers = List.copyOf(modifiers);
    }

    public static TypeName of(String name, Integer... modifiers) {
        return new TypeName(name, List.of(modifiers), 0, name);
    }

    public boolean isArray() {
        return arrayDims > 0;
    }

    /** The type the way PostgreSQL prints it with format_type, e.g. {@code varchar(100)}, {@code text[]}. */
    public String display() {
        StringBuilder sb = new StringBuilder(name);
        if (!modifiers.isEmpty()) {
            sb.append('(');
            for (int i = 0; i < modifiers.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(modifiers.get(i));
            }
            sb.append(')');
        }
        sb.append("[]".repeat(arrayDims));
        return sb.toString();
    }

    @Override
    public String toString() {
        return display();
    }
}
