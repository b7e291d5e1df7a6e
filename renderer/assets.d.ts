// Stylesheets are imported for their side effect; vite emits them as a .css file (CSP: no inline styles).
declare module '*.css';
