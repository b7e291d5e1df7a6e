// A time typed as 24-hour text (`YYYY-MM-DD HH:MM[:SS[.mmm]]`) in the view's zone, for every form
// that takes one (History's range, export, replay start and seek): the browser's datetime widget
// follows the OS's 12-hour clock and knows no zone but the machine's. Parsing stays with the form
// (format/time.ts parseDateTimeInput), which knows what the value is for.

export function TimeText({
  label,
  value,
  onChange,
  testId,
  disabled = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <label>
      {label}
      <input
        type="text"
        className="mono range-input"
        inputMode="numeric"
        spellCheck={false}
        placeholder="YYYY-MM-DD HH:MM:SS"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        data-testid={testId}
      />
    </label>
  );
}
