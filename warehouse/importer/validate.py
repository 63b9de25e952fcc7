"""Judge converted rows against the contract, reporting every bad value with its file, row, column and rule.

Per value (one query per column): it converts to the contract type, required values are present, allowed values,
minimum and maximum (amounts that may not be negative), dates within the mapping's bounds. Across files (one query
per key or reference): primary keys are unique over every file feeding a table, and references resolve to a row
imported into the referenced table. Exact duplicate rows are found while converting (transform.py); they are left
out here so that one mistake is reported once.
"""

from __future__ import annotations

from warehouse import contract
from warehouse.identifiers import quoted
from warehouse.importer.mapping import ROW_COLUMN, Mapping
from warehouse.importer.problems import ERROR, Problems
from warehouse.importer.transform import DUPLICATE_OF, Converted, text_column

TYPE_LABELS = {
    "DATE": "a date (YYYY-MM-DD)",
    "TIMESTAMP": "a date and time (YYYY-MM-DD HH:MM:SS)",
    "INTEGER": "a whole number",
    "DOUBLE": "a number",
    "BOOLEAN": "true or false (also yes/no, 1/0)",
    contract.MONEY: "an amount (a number such as 1234.50, without currency sign or thousands separator)",
}
_SELECT = "select $position, '" + ERROR + "', {rule}, $file, {row}, $label, $target, {value}, {message}"


def check_values(converted: Converted, mapping: Mapping, problems: Problems) -> None:
    """Every value of every mapped column of one converted file."""
    entry = converted.entry
    for rule in entry.columns:
        column = entry.contract_table.column(rule.target)
        typed, text = quoted(column.name), quoted(text_column(column))
        params: dict[str, object] = {"position": entry.position, "file": entry.name, "label": rule.label,
                                     "target": f"{entry.table}.{column.name}"}
        label = TYPE_LABELS.get(column.type, column.type)
        if rule.format is not None:
            label = f"a date in the format {rule.format}"
        params["type_label"] = label
        cases = [f"when {text} is not null and {typed} is null then 'type'"]
        messages = ["when 'type' then '''' || text || ''' is not ' || $type_label"]
        if column.required:
            cases.append(f"when {typed} is null then 'required'")
            messages.append("when 'required' then 'a value is required for ' || $target")
        if column.allowed:
            params["allowed"] = list(column.allowed)
            cases.append(f"when not list_contains($allowed, {typed}) then 'allowed values'")
            messages.append("when 'allowed values' then '''' || text || ''' is not one of: ' || "
                            "array_to_string($allowed, ', ')")
        if column.minimum is not None:
            params["minimum"] = column.minimum
            below = "negative amount" if column.type == contract.MONEY and column.minimum == 0 else "out of range"
            cases.append(f"when {typed} < $minimum then '{below}'")
            messages.append("when 'negative amount' then 'amounts must not be negative'")
        if column.minimum is not None or column.maximum is not None:
            params["range"] = _range_text(column)
            if column.maximum is not None:
                params["maximum"] = column.maximum
                cases.append(f"when {typed} > $maximum then 'out of range'")
            messages.append("when 'out of range' then text || ' is outside the allowed range: ' || $range")
        if column.type in ("DATE", "TIMESTAMP"):
            params.update(earliest=mapping.earliest_date, latest=mapping.latest_date)
            cases.append(f"when cast({typed} as date) not between $earliest and $latest then 'date out of range'")
            messages.append("when 'date out of range' then text || ' is outside ' || cast($earliest as varchar) || ' .. ' "
                            "|| cast($latest as varchar) || ' (set earliest_date / latest_date in the mapping if it is "
                            "right)'")
        problems.add_select(
            _SELECT.format(rule="rule", row=ROW_COLUMN, value="text",
                           message=f"case rule {' '.join(messages)} end")
            + f" from (select {ROW_COLUMN}, {text} as text, case {' '.join(cases)} end as rule "
              f"from {converted.table} where {DUPLICATE_OF} is null) where rule is not null",
            params,
        )


def check_keys(table: contract.Table, files: list[Converted], problems: Problems) -> None:
    """A primary key used by more than one row, over every file feeding the table: each later row is reported.

    Keys used more than once are found by grouping the keys alone first; only their rows are read in full and
    ordered to name the first one. A table fed by one file whose keys were found whole and unique while it was
    converted (transform.convert) has nothing to report."""
    if len(files) == 1 and files[0].unique_key:
        return
    keys = ", ".join(quoted(c) for c in table.primary_key)
    key_text = " || ' / ' || ".join(f"coalesce({quoted(text_column(table.column(c)))}, '')"
                                    for c in table.primary_key)
    params: dict[str, object] = {"label": " + ".join(table.primary_key),
                                 "target": f"{table.name}.{'+'.join(table.primary_key)}"}
    kept = f"{DUPLICATE_OF} is null and " + " and ".join(f"{quoted(c)} is not null" for c in table.primary_key)
    used = " union all ".join(f"select {keys} from {converted.table} where {kept}" for converted in files)
    parts = []
    for converted in files:
        entry = converted.entry
        params[f"file_{entry.position}"] = entry.name
        parts.append(f"select {entry.position} as position, $file_{entry.position} as file, {ROW_COLUMN}, {keys}, "
                     f"{key_text} as key_text from {converted.table} semi join repeated using ({keys}) where {kept}")
    problems.add_select(
        f"with repeated as (select {keys} from ({used}) group by all having count(*) > 1), "
        f"keyed_rows as ({' union all '.join(parts)}) "
        "select position, '" + ERROR + "', 'unique key', file, " + ROW_COLUMN + ", $label, $target, key_text, "
        "'key ' || key_text || ' is also on row ' || first_row || ' of ' || first_file from ("
        f"select position, file, {ROW_COLUMN}, key_text, row_number() over keyed as n, "
        f"first_value({ROW_COLUMN}) over keyed as first_row, first_value(file) over keyed as first_file "
        f"from keyed_rows window keyed as (partition by {keys} order by position, {ROW_COLUMN})) where n > 1",
        params,
    )


def check_references(converted: Converted, targets: dict[str, list[Converted]], broken: set[str],
                     problems: Problems) -> None:
    """Every mapped reference of one file resolves to a row imported into the referenced table.

    A referenced table whose file could not be read at all is skipped: its rows are unknown, and the reason is
    already reported."""
    entry = converted.entry
    for rule in entry.columns:
        column = entry.contract_table.column(rule.target)
        if not column.references or column.referenced_table in broken:
            continue
        target_files = targets.get(column.referenced_table, [])
        typed = quoted(column.name)
        params = {"position": entry.position, "file": entry.name, "label": rule.label,
                  "target": f"{entry.table}.{column.name}"}
        if target_files:
            known = " union all ".join(
                f"select {quoted(column.referenced_column)} as key from {t.table} where {DUPLICATE_OF} is null"
                for t in target_files)
            source = (f"from {converted.table} anti join ({known}) known on known.key = {converted.table}.{typed} "
                      f"where {DUPLICATE_OF} is null and {converted.table}.{typed} is not null")
            message = "'no ' || $references || ' is ''' || text || ''''"
            params["references"] = column.references
        else:
            source = f"from {converted.table} where {DUPLICATE_OF} is null and {typed} is not null"
            message = ("'''' || text || ''' cannot match: this import has no ' || $references_table || ' (map a file "
                       "to it, or leave ' || $target || ' unmapped)'")
            params["references_table"] = column.referenced_table
        problems.add_select(
            _SELECT.format(rule="'foreign key'", row=ROW_COLUMN, value="text", message=message)
            + f" from (select {ROW_COLUMN}, {quoted(text_column(column))} as text {source})",
            params,
        )


def _range_text(column: contract.Column) -> str:
    def number(value: float) -> str:
        return f"{value:g}"

    if column.minimum is not None and column.maximum is not None:
        return f"{number(column.minimum)} to {number(column.maximum)}"
    if column.minimum is not None:
        return f"at least {number(column.minimum)}"
    return f"at most {number(column.maximum)}"


def check_all(mapping: Mapping, converted: dict[str, list[Converted]], broken: set[str], problems: Problems) -> None:
    """Values of every file, then keys and references across files."""
    for files in converted.values():
        for item in files:
            check_values(item, mapping, problems)
    for table_name, files in converted.items():
        check_keys(contract.table(table_name), files, problems)
        for item in files:
            check_references(item, converted, broken, problems)

