// First: zod must know it may not compile parsers before any schema is made (see zod-config.ts).
import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { accessTokenMissing } from './api/api';
import { MissingTokenScreen } from './components/MissingTokenScreen';
import { startStores } from './stores/stores';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/cards.css';
import './styles/messages.css';
import './styles/alerts.css';
import './styles/dialogs.css';
import './styles/gpus.css';
import './styles/doctor.css';
import './styles/sessions.css';
import './styles/folders.css';
import './styles/dotfiles.css';

/**
 * Entry point: start the stores' subscriptions and first loads, then render the window — or, in
 * browser mode without the access token, the screen that says which URL to open.
 */
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

if (!accessTokenMissing) startStores();
createRoot(container).render(
  <StrictMode>{accessTokenMissing ? <MissingTokenScreen /> : <App />}</StrictMode>,
);
