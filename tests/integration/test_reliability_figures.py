"""docs/reliability.md's figures table states what the reliability tests really cover: counted from their cases."""
from __future__ import annotations

import re
from pathlib import Path

import test_reliability_bad_input as bad_input
import test_reliability_concurrency as concurrency
import test_reliability_faults as faults
import test_reliability_secrets as secrets
import test_reliability_tls_credentials as tls_credentials
import test_reliability_transport as transport

HERE = Path(__file__).resolve().parent
DOC = HERE.parents[1] / "docs" / "reliability.md"


def stated_figures():
    """{figure: number} from the doc's table rows "| figure | number | ... |"."""
    rows = re.findall(r"^\|\s*([A-Za-z][^|]*?)\s*\|\s*(\d+)\s*\|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    return {name: int(number) for name, number in rows}


def open_bugs():
    """Strict xfail tests in the reliability files: each is a known bug the lead has been told about."""
    return sum(path.read_text(encoding="utf-8").count("@pytest.mark.xfail(strict=True")
               for path in HERE.glob("test_reliability_*.py") if path.name != Path(__file__).name)


def test_figures_table_matches_the_tests():
    assert stated_figures() == {
        "fault kinds": len(faults.FAULTS),
        "faults tried": faults.FAULT_SCENARIOS,
        "races run": len(concurrency.RACES),
        "bad inputs tried": bad_input.BAD_INPUT_COUNT,
        "secret-leak scenarios at -vvvv": secrets.LEAK_SCENARIOS,
        "TLS cases": tls_credentials.TLS_CASES,
        "credential failures": tls_credentials.CREDENTIAL_FAILURES,
        "wire fault kinds (issue 17)": len(transport.WIRE_FAULT_KINDS),
        "transport and option cases (issue 17)": transport.TRANSPORT_CASES,
        "leaks found": 0,  # test_reliability_secrets fails on any leak
        "known open bugs (strict xfail)": open_bugs(),
    }
