// Lightweight Charts asks for attribution; its own logo needs an inline style the CSP forbids.
export function ChartAttribution() {
  return (
    <a className="attribution" href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer">
      Charts by TradingView Lightweight Charts™
    </a>
  );
}
