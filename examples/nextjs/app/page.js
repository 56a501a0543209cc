import Chat from './chat.js';

// Rendered for each request, so the settings below are read when the server runs, not baked
// into the build. The page needs only the room and where to connect; credentials stay on the server.
export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>Chat <small>ivschat-wasm with Next.js</small></h1>
      <Chat
        roomArn={process.env.ROOM_ARN ?? ''}
        // Only for the local server (its ws:// URL); unset on AWS: the room's region is used.
        messagingUrl={process.env.IVSCHAT_MESSAGING_URL ?? ''}
      />
    </main>
  );
}
