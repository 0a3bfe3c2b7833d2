import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createAuth } from './auth/auth';
import { canonicalLocation, loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadConfig().then(
  (config) => {
    const canonical = canonicalLocation(config, window.location);
    if (canonical) return window.location.replace(canonical);
    root.render(
      <StrictMode>
        <App config={config} auth={createAuth(config)} />
      </StrictMode>,
    );
  },
  (error: Error) =>
    root.render(
      <main className="boot-error">
        <h1>Commonplace could not start</h1>
        <p role="alert">Its configuration could not be loaded ({error.message}). Try reloading the page.</p>
      </main>,
    ),
);
