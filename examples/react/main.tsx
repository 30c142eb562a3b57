import { StrictMode, useState, type SubmitEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { explainClose } from 'resilient-websocket';
import { useResilientWebSocket } from 'resilient-websocket/react';
import { appendToLog, serverUrl, socketOptions } from '../connection.js';
import '../style.css';

function App() {
  const { state, attempt, lastClose, lastMessage: log = [], send, reconnect } = useResilientWebSocket(serverUrl, { ...socketOptions, selectMessage: appendToLog });
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
