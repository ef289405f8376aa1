package dev.privacykit.policies;

import java.util.List;

/** A policy file that did not load, with every problem found in it, in file order. */
public final class PolicyLoadException extends PolicyException {
  private static final long serialVersionUID = 1L;
  private final transient List<PolicyProblem> problems;

  /** Reports {@code problems} (at least one). */
  public PolicyLoadException(List<PolicyProblem> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in file order. */
  public List<PolicyProblem> problems() {
    return problems;
  }

  private static String summary(List<PolicyProblem> problems) {
    StringBuilder text =
        new StringBuilder("policy file has ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems");
    for (PolicyProblem problem : problems) {
      text.append("\n  ").append(problem);
    }
    return text.toString();
  }
}
