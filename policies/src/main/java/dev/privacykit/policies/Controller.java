package dev.privacykit.policies;

/**
 * Who is responsible for the processing a policy describes, as a record of processing activities
 * names them (GDPR Art. 30(1)(a); the Data Fiduciary under the DPDP Act). Written in a policy file
 * as {@code controller: {name, contact, dpo, representative}}.
 *
 * @param name the controller's (Data Fiduciary's) legal name
 * @param contact how to reach it: an address, an e-mail address or a web form
 * @param dpo the data protection officer and how to reach them, or null
 * @param representative the representative in the Union (GDPR Art. 27), or null
 */
public record Controller(String name, String contact, String dpo, String representative) {}
