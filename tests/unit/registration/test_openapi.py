"""The OpenAPI document validates, says what the endpoints take, and every operation is tested."""

import importlib

from openapi_spec_validator import validate

# (method, path) → the tests that exercise it (module under tests/, function).
COVERED_BY = {
    ("get", "/api/v1/parked"): [
        "unit.registration.test_parked_api::test_an_admin_lists_replays_and_discards_parked_events",
        "unit.registration.test_parked_api::"
        "test_an_auditor_may_list_but_not_settle_and_a_unit_may_not_list",
    ],
    ("post", "/api/v1/parked/replay"): [
        "unit.registration.test_parked_api::test_an_admin_lists_replays_and_discards_parked_events",
    ],
    ("post", "/api/v1/parked/discard"): [
        "unit.registration.test_parked_api::test_an_admin_lists_replays_and_discards_parked_events",
    ],
    ("get", "/api/v1/requirements"): [
        "unit.registration.test_requirements_endpoint::"
        "test_anyone_signed_in_reads_the_documents_and_figures_each_unit_type_brings",
    ],
    ("post", "/api/v1/campaigns/{year}"): [
        "unit.registration.test_campaign::"
        "test_over_http_only_an_admin_sets_it_and_every_change_is_a_campaign_scheduled_event",
        "e2e.test_registration_acceptance::test_the_campaign_is_set_and_edited_by_the_admin_only",
    ],
    ("get", "/api/v1/campaigns/{year}"): [
        "unit.registration.test_campaign::"
        "test_over_http_only_an_admin_sets_it_and_every_change_is_a_campaign_scheduled_event",
        "e2e.test_registration_acceptance::test_the_campaign_is_set_and_edited_by_the_admin_only",
    ],
    ("post", "/api/v1/units"): [
        "unit.registration.test_api_directory::test_eligible_units_of_every_type_are_added",
        "e2e.test_registration_acceptance::test_each_art_1_exclusion_is_refused_naming_the_rule",
    ],
    ("get", "/api/v1/units"): [
        "unit.registration.test_api_directory::"
        "test_the_list_filters_by_commune_and_type_and_a_unit_user_reads_only_itself",
        "e2e.test_registration_acceptance::test_a_csv_import_is_all_or_nothing_with_a_row_report",
    ],
    ("post", "/api/v1/reorganizations"): [
        "unit.registration.test_reorganization::"
        "test_a_merge_is_recorded_and_the_new_ward_joins_the_directory",
        "unit.registration.test_reorganization::"
        "test_unknown_old_codes_a_taken_new_code_and_a_many_to_one_rename_are_refused",
    ],
    ("post", "/api/v1/reorganizations/import"): [
        "unit.registration.test_reorganization::"
        "test_a_reorganisation_is_imported_from_a_csv_file_one_change_per_row",
        "unit.registration.test_reorganization::"
        "test_a_csv_mixing_two_dates_or_with_a_bad_kind_records_nothing",
    ],
    ("post", "/api/v1/units/import"): [
        "unit.registration.test_import::"
        "test_a_clean_file_with_a_bom_and_vietnamese_names_is_imported_whole",
        "e2e.test_registration_acceptance::test_a_csv_import_is_all_or_nothing_with_a_row_report",
    ],
    ("get", "/api/v1/units/{unit_id}"): [
        "unit.registration.test_api_directory::"
        "test_the_list_filters_by_commune_and_type_and_a_unit_user_reads_only_itself",
        "e2e.test_registration_acceptance::test_a_unit_update_is_an_event_and_is_checked_again",
    ],
    ("patch", "/api/v1/units/{unit_id}"): [
        "unit.registration.test_api_directory::test_an_update_is_checked_again_and_is_an_event",
        "e2e.test_registration_acceptance::test_a_unit_update_is_an_event_and_is_checked_again",
    ],
    ("post", "/api/v1/registrations"): [
        "unit.registration.test_registration::"
        "test_a_complete_registration_is_accepted_and_read_back",
        "e2e.test_registration_acceptance::test_each_missing_document_and_figure_is_named",
    ],
    ("get", "/api/v1/registrations/{unit_id}/{year}"): [
        "unit.registration.test_registration::"
        "test_a_complete_registration_is_accepted_and_read_back",
        "e2e.test_registration_acceptance::test_late_registration_without_and_with_an_exception",
    ],
    ("post", "/api/v1/late-exceptions"): [
        "unit.registration.test_registration::"
        "test_an_admin_exception_lets_the_unit_register_late_with_the_reason",
        "e2e.test_registration_acceptance::test_late_registration_without_and_with_an_exception",
    ],
    ("post", "/api/v1/dossiers"): [
        "unit.registration.test_dossiers::test_a_complete_dossier_is_accepted_as_revision_1",
        "e2e.test_registration_acceptance::test_concurrent_submissions_one_201_one_409",
    ],
    ("get", "/api/v1/dossiers/{unit_id}/{year}"): [
        "unit.registration.test_dossiers::test_a_complete_dossier_is_accepted_as_revision_1",
        "e2e.test_registration_acceptance::test_a_unit_user_reading_another_units_dossier_gets_403",
    ],
    ("post", "/api/v1/documents"): [
        "unit.registration.test_documents::test_each_allowed_kind_is_recognised_by_its_content",
        "e2e.test_registration_acceptance::test_a_25_mb_upload_is_413_and_nothing_is_stored",
    ],
    ("get", "/api/v1/documents/{sha256}"): [
        "unit.registration.test_documents::"
        "test_a_download_returns_the_bytes_to_those_who_may_see_the_case",
        "e2e.test_registration_acceptance::test_a_document_is_downloaded_only_by_those_who_see_the_case",
    ],
    ("get", "/api/v1/forms/{form}"): [
        "unit.registration.test_forms::"
        "test_each_prefilled_form_names_the_unit_and_links_to_its_filing_page",
        "unit.registration.test_forms::"
        "test_a_blank_form_for_a_school_lists_the_school_criteria_and_no_unit",
    ],
}
METHODS = {"get", "post", "put", "patch", "delete"}


def operations(spec) -> set:
    return {(m, path) for path, item in spec["paths"].items() for m in item if m in METHODS}


def test_the_openapi_document_validates(client):
    spec = client.get("/api/openapi.json").json
    validate(spec)
    assert client.get("/api/docs").status_code == 200


def test_every_documented_operation_is_exercised_by_a_test(client):
    spec = client.get("/api/openapi.json").json
    assert operations(spec) == set(COVERED_BY), "update COVERED_BY with the new operation's test"
    for tests in COVERED_BY.values():
        for ref in tests:
            module, name = ref.split("::")
            assert callable(getattr(importlib.import_module(f"tests.{module}"), name)), ref


def test_uploads_are_documented_as_multipart_file_fields(client):
    spec = client.get("/api/openapi.json").json
    for path in ("/api/v1/documents", "/api/v1/units/import"):
        body = spec["paths"][path]["post"]["requestBody"]["content"]
        ref = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
        field = spec["components"]["schemas"][ref]["properties"]["file"]
        assert field == {"type": "string", "format": "binary", "description": field["description"]}
    download = spec["paths"]["/api/v1/documents/{sha256}"]["get"]["responses"]["200"]
    assert "application/pdf" in download["content"]
    assert "all-or-nothing" in spec["paths"]["/api/v1/units/import"]["post"]["description"].lower()


def test_the_documented_answers_are_the_real_ones(client):
    spec = client.get("/api/openapi.json").json
    paths = spec["paths"]
    assert "201" in paths["/api/v1/units"]["post"]["responses"]
    assert "201" in paths["/api/v1/dossiers"]["post"]["responses"]
    assert "413" in paths["/api/v1/documents"]["post"]["responses"]
    assert "409" in paths["/api/v1/dossiers"]["post"]["responses"]
    dossier_in = spec["components"]["schemas"]["DossierIn"]["properties"]
    assert {"unit_id", "year", "documents", "self_assessment", "expected_version"} == set(
        dossier_in
    )
    assert spec["security"] == [{"bearer": []}]
