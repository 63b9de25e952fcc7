"""SQL identifiers made from names the code does not choose: a file's header, a mapping, a database's name."""


def quoted(identifier: str) -> str:
    """The identifier in double quotes, any inside doubled: safe inside SQL whatever it contains."""
    return '"' + identifier.replace('"', '""') + '"'
