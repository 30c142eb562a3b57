import { StrictMode, useState, type SubmitEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { explainClose } from 'resilient-websocket';
import { useResilientWebSocket } from 'resilient-websocket/react';
import { shareAcrossTabs } from 'resilient-websocket/tabs';
import { appendToLog, serverUrl, socketOptions } from '../connection.js';
import '../style.css';

const options = { ...socketOptions, selectMessage: appendToLog };

// `?tabs` in the address: every tab of this app shares one connection (the
// tab holding the Web Lock runs it). Registered before the first render.
const tabs = new URLSearchParams(location.search).has('tabs');
if (tabs) shareAcrossTabs(serverUrl, options);

function App() {
  const { state, attempt, lastClose, lastMessage: log = [], send, reconnect } = useResilientWebSocket(serverUrl, options);
  const [text, setText] = useState('hello');
  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    send(text);
  };
  return (
    <main>
      <h1>resilient-websocket + React</h1>
      <p>
        State: <span className="state" data-state={state}>{state}</span> {state !== 'open' && attempt > 0 && <span>retry {attempt}</span>}
      </p>
      {tabs && <p data-tabs>One connection for every tab of this app (resilient-websocket/tabs)</p>}
      <p className="close">
        Last close: <strong data-close-code>{lastClose?.code ?? 'none yet'}</strong> <span data-close-explanation>{lastClose ? explainClose(lastClose) : ''}</span>
      </p>
      <form onSubmit={submit}>
        <input value={text} onChange={(event) => setText(event.target.value)} aria-label="message" />
        <button type="submit">Send</button>
        <button type="button" onClick={reconnect}>Reconnect</button>
      </form>
      <ol data-log>
        {log.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
