package dev.privacykit.consent;

import dev.privacykit.policies.Regime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drafts of the authority's report of an incident, field by field with the provision each answers:
 * under GDPR, Art. 33(3)(a) to (d) and the principals' communication of Art. 34; under DPDP, rule
 * 7(2)(a) (the intimation without delay) and 7(2)(b)(i) to (vi) (the detailed report within 72
 * hours). A value not known yet is null: the draft shows what is still missing. The same draft is
 * written as JSON ({@link Draft#toMap()}) and rendered as HTML by the service. Stateless.
 */
public final class IncidentReports {
  private IncidentReports() {}

  /** A draft: the incident, its clocks, and sections of fields. */
  public record Draft(
      Incident incident, Instant generatedAt, String title, List<Section> sections) {
    /** Copies the list. */
    public Draft {
      sections = List.copyOf(sections);
    }

    /** The draft as plain maps and lists, for JSON. */
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("title", title);
      map.put("incident_id", incident.id());
      map.put("regime", incident.regime().name());
      map.put("status", incident.status().name());
      map.put("generated_at", generatedAt.toString());
      map.put("detected_at", incident.detectedAt().toString());
      map.put("authority_due_at", incident.authorityDueAt().toString());
      map.put("authority_notified_at", text(incident.authorityNotifiedAt()));
      map.put("report_due_at", text(incident.reportDueAt()));
      map.put("report_filed_at", text(incident.reportFiledAt()));
      map.put("overdue", incident.overdue());
      List<Object> out = new ArrayList<>();
      for (Section section : sections) {
        List<Object> fields = new ArrayList<>();
        for (Field field : section.fields()) {
          Map<String, Object> f = new LinkedHashMap<>();
          f.put("key", field.key());
          f.put("label", field.label());
          f.put("value", field.value());
          fields.add(f);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("provision", section.provision());
        s.put("title", section.title());
        s.put("fields", fields);
        out.add(s);
      }
      map.put("sections", out);
      return map;
    }
  }

  /** A part of the report answering one provision. */
  public record Section(String provision, String title, List<Field> fields) {
    /** Copies the list. */
    public Section {
      fields = List.copyOf(fields);
    }
  }

  /** One field: a stable key, what it is, and its value (null when not known yet). */
  public record Field(String key, String label, String value) {}

  /** The draft of {@code incident}'s report to its authority as of {@code now}. */
  public static Draft draft(Incident incident, Instant now) {
    IncidentDetails d = incident.details();
    String categories = d.categories().isEmpty() ? null : String.join(", ", d.categories());
    String principals = number(d.approximatePrincipals());
    String records = number(d.approximateRecords());
    String intimations =
        incident.principals()
            + " affected principal(s) found; "
            + incident.notices()
            + " notice(s) queued"
            + (incident.principalsNotifiedAt() == null
                ? ""
                : " from " + incident.principalsNotifiedAt())
            + "; "
            + incident.delivered()
            + " delivered to the fiduciary's systems for sending";
    List<Section> sections = new ArrayList<>();
    if (incident.regime() == Regime.GDPR) {
      sections.add(
          new Section(
              "GDPR Art. 33(3)(a)",
              "Nature of the personal data breach",
              List.of(
                  new Field("nature", "Nature of the breach", d.nature()),
                  new Field("categories", "Categories of personal data concerned", categories),
                  new Field(
                      "approximate_principals", "Approximate number of data subjects", principals),
                  new Field(
                      "approximate_records",
                      "Approximate number of personal data records",
                      records),
                  new Field("detected_at", "Became aware at", incident.detectedAt().toString()),
                  new Field("occurred_at", "Occurred at", text(d.occurredAt())),
                  new Field("location", "Where it occurred", d.location()))));
      sections.add(
          new Section(
              "GDPR Art. 33(3)(b)",
              "Data protection officer or other contact point",
              List.of(new Field("contact", "Name and contact details", d.contact()))));
      sections.add(
          new Section(
              "GDPR Art. 33(3)(c)",
              "Likely consequences",
              List.of(new Field("consequences", "Likely consequences", d.consequences()))));
      sections.add(
          new Section(
              "GDPR Art. 33(3)(d)",
              "Measures taken or proposed",
              List.of(
                  new Field(
                      "measures",
                      "Measures taken or proposed, including to mitigate adverse effects",
                      d.measures()))));
      sections.add(
          new Section(
              "GDPR Art. 34",
              "Communication to the data subjects",
              List.of(new Field("intimations", "Communications to data subjects", intimations))));
    } else {
      sections.add(
          new Section(
              "DPDP Rules 2025, rule 7(2)(a)",
              "Intimation without delay",
              List.of(
                  new Field("nature", "Description and nature of the breach", d.nature()),
                  new Field("categories", "Extent: categories of personal data", categories),
                  new Field(
                      "approximate_principals", "Extent: Data Principals affected", principals),
                  new Field("approximate_records", "Extent: records affected", records),
                  new Field("occurred_at", "Timing of occurrence", text(d.occurredAt())),
                  new Field("detected_at", "Became aware at", incident.detectedAt().toString()),
                  new Field("location", "Location of occurrence", d.location()),
                  new Field("consequences", "Likely impact", d.consequences()))));
      sections.add(
          new Section(
              "DPDP Rules 2025, rule 7(2)(b)",
              "Detailed report within 72 hours",
              List.of(
                  new Field(
                      "updated_description",
                      "(i) Updated and detailed information on the description",
                      d.nature()),
                  new Field(
                      "circumstances",
                      "(ii) Broad facts of the events, circumstances and reasons",
                      d.circumstances()),
                  new Field(
                      "measures",
                      "(iii) Measures implemented or proposed to mitigate risk",
                      d.measures()),
                  new Field(
                      "responsible",
                      "(iv) Findings regarding the person who caused the breach",
                      d.responsible()),
                  new Field(
                      "remedial", "(v) Remedial measures to prevent recurrence", d.remedial()),
                  new Field(
                      "intimations",
                      "(vi) Report on the intimations given to affected Data Principals",
                      intimations),
                  new Field("contact", "Contact of the person who can respond", d.contact()))));
    }
    String title =
        (incident.regime() == Regime.GDPR
                ? "Personal data breach notification to the supervisory authority"
                : "Intimation of personal data breach to the Data Protection Board")
            + " (draft)";
    return new Draft(incident, now, title, sections);
  }

  private static String number(Long value) {
    return value == null ? null : Long.toString(value);
  }

  private static String text(Instant value) {
    return value == null ? null : value.toString();
  }
}
