"""A reviewer and the approvers of a commune and of the city, acting over one test client."""

RA_IDS = ["RA-1", "RA-2", "RA-3", "RA-4", "RA-5"]
CW_IDS = ["CW-1", "CW-2", "CW-3", "CW-4"]
YEAR = 2025
# The last day of the three-tier government: the city (a district) still decides communes.
THREE_TIER_DAY = "2025-06-30"


def findings(ids, unmet=()):
    return [{"criterion_id": c, "met": c not in unmet, "note": "kiểm tra"} for c in ids]


class Desk:
    """Drives cases over the review API; `feed` delivers registration's events."""

    def __init__(self, client, feed, token):
        self.client, self.feed, self.token = client, feed, token
        self.reviewer = token("reviewer", "officer-1")
        self.ward = token("approver", "chairman-vh", jurisdiction="vinh-hai")
        self.city = token("approver", "chairman-nt", jurisdiction="nha-trang")

    def case(self, unit_id, who=None):
        return self.client.get(f"/api/v1/cases/{unit_id}/{YEAR}", headers=who or self.reviewer)

    def submitted(self, unit_id, met=None, **unit):
        self.feed.add_unit(unit_id, **unit)
        self.feed.register(unit_id, YEAR)
        self.feed.submit(unit_id, YEAR, met=met)

    def recommend(self, unit_id, ids, unmet=()):
        version = self.case(unit_id).get_json()["version"]
        body = {
            "recommendation": "not_achieved" if unmet else "achieved",
            "findings": findings(ids, unmet),
            "expected_version": version,
        }
        url = f"/api/v1/cases/{unit_id}/{YEAR}/recommendation"
        answer = self.client.post(url, json=body, headers=self.reviewer)
        assert answer.status_code == 201, answer.get_json()

    def decide(self, unit_id, who, number, decision="recognized", on=THREE_TIER_DAY):
        body = {"decision": decision, "decision_number": number, "decided_on": on}
        return self.client.post(f"/api/v1/cases/{unit_id}/{YEAR}/decision", json=body, headers=who)
