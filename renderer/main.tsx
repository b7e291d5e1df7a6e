import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { createConnection } from './transport/createApi.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// One connection for the life of the page, made before React renders (StrictMode renders twice)
// and before anything reads the URL: it takes the access token out of the address bar.
const connection = createConnection(window);
createRoot(root).render(
  <StrictMode>
    <App connection={connection} />
  </StrictMode>,
);
