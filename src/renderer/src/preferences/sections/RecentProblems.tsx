import type { RecentProblem } from '../../../../shared/preferences-api';

/**
 * What went wrong lately: when, the short sentence the overlay showed, and the technical detail
 * (codes, hosts, the server's words) that the overlay and the OBS page never show.
 */
export function RecentProblems({ problems }: { problems: RecentProblem[] }) {
  return (
    <section aria-label="Recent problems">
      <h3>Recent problems</h3>
      {problems.length === 0 ? (
        <p className="hint">None since Kiyo started.</p>
      ) : (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={`${p.at}-${i}`}>
              <time dateTime={new Date(p.at).toISOString()}>{new Date(p.at).toLocaleTimeString()}</time>{' '}
              <span className="problem-message">{p.message}</span>
              <code className="problem-detail">{p.detail}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
