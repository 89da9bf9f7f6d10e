from forms.references import ALPHABET, RANDOM_LENGTH, generate_reference, parse_reference


def test_format_is_grouped_and_readable():
    reference = generate_reference()
    prefix, first, second, check = reference.split("-")
    assert prefix == "RAE"
    assert len(first) == len(second) == 4 and len(check) == 1
    assert set(first + second + check) <= set(ALPHABET)
    assert RANDOM_LENGTH * 5 >= 40  # at least 40 random bits


def test_ten_thousand_references_are_distinct_and_valid():
    references = {generate_reference() for _ in range(10_000)}
    assert len(references) == 10_000
    assert all(parse_reference(reference).reference == reference for reference in references)


def test_every_single_character_substitution_is_detected():
    for _ in range(30):
        reference = generate_reference()
        compact = reference.replace("-", "")[3:]
        for position in range(len(compact)):
            for char in ALPHABET:
                if char == compact[position]:
                    continue
                typo = compact[:position] + char + compact[position + 1 :]
                assert parse_reference(typo).problem == "check", (reference, typo)


def test_adjacent_transpositions_are_detected():
    for _ in range(200):
        compact = generate_reference().replace("-", "")[3:]
        for position in range(len(compact) - 1):
            a, b = compact[position], compact[position + 1]
            if a != b:
                swapped = compact[:position] + b + a + compact[position + 2 :]
                assert parse_reference(swapped).problem == "check"


def test_what_citizens_type_is_understood():
    reference = generate_reference()
    body = reference[4:]
    assert parse_reference(reference.lower()).reference == reference
    assert parse_reference(" " + body.replace("-", " ") + " ").reference == reference
    assert parse_reference(reference.replace("0", "o").replace("1", "l")).reference == reference


def test_not_a_reference():
    assert parse_reference("").problem == "format"
    assert parse_reference("bonjour").problem == "format"
    assert parse_reference("RAE-UUUU-UUUU-U").problem == "format"  # U is not in the alphabet
