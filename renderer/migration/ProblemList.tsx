// A titled table of paths and why each was not migrated (bad files, paths not read).
import type { FileProblem } from '../../shared/migration.ts';

export function ProblemList(props: { title: string; bad?: boolean; items: FileProblem[]; testId?: string }) {
  return (
    <div className="problems" data-testid={props.testId}>
      <h3 className={props.bad ? 'bad' : undefined}>{props.title}</h3>
      <table className="grid small">
        <tbody>
          {props.items.map((p) => (
            <tr key={p.path}>
              <td className="mono">{p.path}</td>
              <td>{p.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
