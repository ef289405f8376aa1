// One entry's proof report: the verdict in words, then each step with what it calculated.
import { html, nothing, type TemplateResult } from 'lit-html';
import type { ProofReport, StepState, Verdict } from '../proof/prove.ts';

const VERDICT_WORDS: Record<Verdict, string> = {
  proven: '\u2714 Proven in this browser',
  failed: '\u2718 Verification FAILED',
  unproven: '\u26A0 Not proven',
};
const STEP_WORDS: Record<StepState, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIPPED' };

export function proofResult(report: ProofReport | 'running'): TemplateResult {
  if (report === 'running') return html`<div class="proof" data-verdict="running" role="status">Checking…</div>`;
  return html`<div class="proof verdict-${report.verdict}" data-verdict=${report.verdict} data-shard=${report.shard ?? nothing} role="status">
    <p><strong>${VERDICT_WORDS[report.verdict]}</strong></p>
    <p class="summary">${report.summary}</p>
    <ol class="steps">
      ${report.steps.map(
        (s) => html`<li class="step step-${s.state}" data-step=${s.id} data-state=${s.state}>
          <span class="step-state">${STEP_WORDS[s.state]}</span> <strong>${s.title}</strong>: <span class="detail">${s.detail}</span>
        </li>`,
      )}
    </ol>
  </div>`;
}
