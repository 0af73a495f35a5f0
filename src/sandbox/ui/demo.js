// The guided first run: what the empty channel says, and the "Load demo data" button.
// Static HTML only: nothing here comes from data.

export const FIRST_RUN_HTML = `<div class="empty first-run" id="first-run">
  <h2>Start here</h2>
  <p>A Slack workspace on your machine, with the pii-review bot in <strong>#pii-review</strong>. Two ways in:</p>
  <ol>
    <li><button type="button" class="bk-button bk-button--primary" data-sandbox="demo">Load demo data</button>
      a dozen applications in every stage (new, gaps open, waiting on the developer, a meeting tomorrow,
      approved and live, audits due, rejected, withdrawn) with their threads. Then open <strong>pii-review</strong>
      under Apps as each persona to see what waits on them.</li>
    <li><button type="button" class="bk-button" data-sandbox="sample">New sample application</button>
      posts one through the intake API; take it through with the card's buttons:
      Claim, Business review, Send questionnaire, Review answers, Pass Stage 2, Schedule architecture review…</li>
  </ol>
  <p class="first-run-hint">Switch who you are under <strong>Acting as</strong>: Riley and Sam review, Ada is the solution
    architect, Morgan the admin, Olly holds no role. Type <code>/pii help</code> below for the commands.</p>
</div>`;

/** Loads the demo board; `after` runs once the answer is in (e.g. to refresh the open Home). */
export async function loadDemo(api, buttons, after) {
  for (const b of buttons) b.disabled = true;
  try {
    await api('/sandbox/ui/demo', {});
  } finally {
    for (const b of buttons) b.disabled = false;
  }
  after();
}
