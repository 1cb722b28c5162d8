/**
 * Agent-H: hallucination negatives built from the tool catalog, the evaluation set Agent-FLAN's paper scores as
 * "the right answer is a direct reply with no tool call" (arXiv 2403.12881, Agent-H). Two kinds: requests that no
 * listed tool can serve (live data, actions in the world, senses), and requests that need no tool at all
 * (writing, advice, general knowledge). Each request is offered with several of the tool sets the gallery's Tools
 * tasks offer, so the model sees plausible-looking tools it must not call. Scored by the Tools environment's
 * `noTool` rule: a final answer given with no tool call scores 1, any tool call makes it 0.
 */
import type { ToolSpec } from '../../agent/protocols/types';
import { toolsTasks, type ToolsTask } from './tasks';

type Kind = 'unservable' | 'no-tool';

/** [id, request, a direct reply (the expert's final answer)] */
const REQUESTS: Record<Kind, [string, string, string][]> = {
  unservable: [
    ['weather-tokyo', 'What will the weather be like in Tokyo tomorrow?', "None of these tools can fetch a forecast, so I can't tell you tomorrow's weather in Tokyo; a weather service will have it."],
    ['stock-price', 'What is the current share price of Apple?', "I can't look up live share prices with the tools I have; a finance site or your broker will show Apple's current price."],
    ['send-email', 'Send an email to my boss saying I will be late today.', "I can't send email: none of the available tools can. You could send: \"Hi, I'm running late today and will be in as soon as I can.\""],
    ['book-flight', 'Book me a flight from Berlin to Rome next Friday.', "I can't book flights with these tools. An airline or travel site can book Berlin to Rome for next Friday."],
    ['play-music', 'Play some relaxing jazz music.', "I can't play music: none of the tools controls audio. A music app can play relaxing jazz for you."],
    ['set-alarm', 'Set an alarm for 6:30 tomorrow morning.', "I can't set alarms with the tools available; your phone's clock app can set one for 6:30."],
    ['order-pizza', 'Order a large margherita pizza to my home.', "I can't place orders: none of these tools can. A delivery app or the pizzeria's site can take the order."],
    ['news-today', "What are today's top news headlines?", "I have no tool that reads today's news, so I can't list the headlines; a news site will have them."],
    ['lights-off', 'Turn off the lights in my living room.', "I can't control your lights: none of the tools reaches smart-home devices."],
    ['calendar', 'What meetings do I have on my calendar this afternoon?', "I can't read your calendar with these tools; your calendar app will show this afternoon's meetings."],
    ['traffic', 'How bad is the traffic on the highway to the airport right now?', "None of these tools has live traffic data, so I can't say; a maps app will show it."],
    ['photo', 'Describe the photo I just took with my phone.', "I can't see your photos: none of the tools can open images from your phone."],
    ['text-mom', 'Text my mom that I arrived safely.', "I can't send text messages with these tools. You could text her: \"Arrived safely!\""],
    ['exchange-rate', "What is today's euro to yen exchange rate?", "None of these tools has live exchange rates, so I can't give today's euro to yen rate; a bank or finance site will."],
    ['track-parcel', 'Where is my parcel with tracking number 1Z999AA10123456784 right now?', "I can't track parcels with the tools I have; the carrier's tracking page will show where it is."],
  ],
  'no-tool': [
    ['haiku-autumn', 'Write a haiku about autumn leaves.', 'Red leaves drift and fall\nwhispering to the cold ground\nsummer says goodbye'],
    ['greeting', 'Hi! How are you today?', "Hi! I'm doing well, thank you. How can I help you today?"],
    ['thanks', 'Thanks a lot for your help earlier!', "You're welcome! I'm glad I could help."],
    ['spanish-thanks', 'How do you say "thank you" in Spanish?', '"Thank you" in Spanish is "gracias".'],
    ['poem-title', 'Suggest a title for a short story about a lighthouse keeper.', 'How about "The Last Light on Gull Rock"?'],
    ['sleep-tips', 'Give me two tips for sleeping better.', 'Keep a regular bedtime, and avoid screens for the hour before you sleep.'],
    ['synonym', 'What is a synonym for "happy"?', 'A synonym for "happy" is "cheerful".'],
    ['birthday-message', 'Write a one-line birthday message for my sister.', 'Happy birthday to the best sister anyone could ask for!'],
    ['explain-photosynthesis', 'Explain photosynthesis in one sentence.', 'Photosynthesis is how plants use sunlight, water and carbon dioxide to make sugar and release oxygen.'],
    ['motivate', 'I have an exam tomorrow and feel nervous. Any advice?', 'Review your notes briefly, get a good night of sleep, and remember that some nerves help you focus. Good luck!'],
    ['rhyme', 'Give me a word that rhymes with "cat".', '"Hat" rhymes with "cat".'],
    ['colour-mix', 'What colour do you get when you mix blue and yellow paint?', 'Mixing blue and yellow paint gives green.'],
    ['story-opening', 'Write the first sentence of a mystery novel.', 'The letter arrived three days after its sender was buried.'],
    ['apology', 'Help me word a short apology for missing a friend\'s party.', "I'm so sorry I missed your party; I hope it was wonderful, and I'd love to make it up to you soon."],
    ['planets', 'Which planet is known as the Red Planet?', 'Mars is known as the Red Planet.'],
  ],
};

/** The distinct tool sets the gallery's Tools tasks offer, in gallery order: each request is asked with four, in rotation. */
const TOOL_SETS: ToolSpec[][] = [...new Map(toolsTasks.map((t) => [t.data.tools.map((s) => s.name).join('+'), t.data.tools])).values()];
const SETS_PER_REQUEST = 4;

function build(): { tasks: ToolsTask[]; experts: Record<string, string[]> } {
  const tasks: ToolsTask[] = [];
  const experts: Record<string, string[]> = {};
  let rotation = 0;
  for (const [kind, requests] of Object.entries(REQUESTS) as [Kind, [string, string, string][]][]) {
    for (const [name, request, reply] of requests) {
      for (let i = 0; i < SETS_PER_REQUEST; i++) {
        const offered = TOOL_SETS[rotation++ % TOOL_SETS.length];
        const id = `agent-h-${name}-${i + 1}`;
        const what = kind === 'unservable' ? 'no listed tool can serve it' : 'it needs no tool';
        const names = offered.map((t) => t.name).join(', ');
        tasks.push({ id, env: 'tools', title: `${request} (${what}; offered: ${names})`, data: { request, tools: offered, expected: { noTool: true } } });
        // lagent's Final Answer with no tool call (a bare reply is NoAction to lagent, see experts.ts).
        experts[id] = [`Thought: ${kind === 'unservable' ? 'None of the listed tools can do this, so I answer directly.' : 'This needs no tool.'}\nFinal Answer: ${reply}`];
      }
    }
  }
  return { tasks, experts };
}

export const agentH = build();
