"""General chat prompts for self-replay: the base model answers them once (greedy) and those
answers are replayed beside the domain data, so training on a narrow domain keeps the model's
general way of answering (replay.chat_prompts).

Written for this project. They are everyday requests of many kinds; none is a prompt of the
instruction-following evaluation (`instruct_prompts.py`), and the answers replayed are the
base model's own, so replay preserves what the model could already do and teaches nothing new.
"""

from __future__ import annotations

CHAT_PROMPTS: tuple[str, ...] = (
    # explanations
    "Why do cats purr?",
    "Explain in simple terms how a refrigerator keeps food cold.",
    "What is the difference between weather and climate?",
    "How does a compass find north?",
    "Why does bread go stale?",
    "Explain what a volcano is to a ten-year-old.",
    "What makes a bridge strong enough to carry heavy trucks?",
    "Why do we have leap years?",
    "How do bees make honey?",
    "What is photosynthesis? Keep it short.",
    "Why is the ocean salty?",
    "How does a lighthouse help ships at night?",
    # advice and how-to
    "How can I keep my houseplants alive while I am on holiday?",
    "Give me some tips for writing a clear email to a colleague.",
    "What should I think about before adopting a dog?",
    "How do I remove a coffee stain from a cotton shirt?",
    "Suggest a simple weekly routine for tidying a small flat.",
    "How can I get better at remembering people's names?",
    "What are good ways to stay focused while studying at home?",
    "How do I prepare for a long hike in the mountains?",
    "Give me advice on saving money for a bicycle.",
    "How should I store fresh herbs so they last longer?",
    # writing
    "Write a short birthday message for my grandmother.",
    "Write a haiku about a quiet harbour.",
    "Write a friendly note asking my neighbour to water my tomatoes.",
    "Write the opening sentence of a mystery novel set on a train.",
    "Write a short product description for a wooden chess set.",
    "Compose a two-line rhyme about a sleepy owl.",
    "Write a polite message declining an invitation to a party.",
    "Describe a thunderstorm over a wheat field.",
    "Write a short speech thanking volunteers at a beach clean-up.",
    "Write a limerick about a forgetful baker.",
    # lists and structure
    "List four board games that are fun for a family evening.",
    "Name three famous rivers and the continents they flow through.",
    "Give me a short shopping list for making pancakes.",
    "What are the main parts of a flower? Use a numbered list.",
    "List five words that describe the feeling of a cold morning.",
    "Give three arguments for learning a second language, as bullet points.",
    "Outline the steps to change a flat bicycle tyre.",
    "Put these in order from smallest to largest: a mouse, an elephant, a dog, an ant.",
    # formats
    "Give me a JSON object describing a fictional train with the keys \"line\" and \"stops\".",
    "Write the days of the week in lowercase, separated by spaces.",
    "Answer with a single word: what colour is a ripe banana?",
    "Reply in exactly two sentences: why do people keep diaries?",
    "Summarise the plot of Cinderella in one sentence.",
    "Write a short answer that ends with the word 'tomorrow': when is the best time to start a new habit?",
    "Describe a lemon in under twelve words.",
    "Explain what an umbrella is for, in at least forty words.",
    "Mention the word 'lantern' in a sentence about a camping trip.",
    "Tell me about penguins without using any commas.",
    # questions and reasoning
    "If a train leaves at 3 pm and the trip takes 2 hours and 30 minutes, when does it arrive?",
    "What is 15 multiplied by 4?",
    "Which is heavier, a kilogram of feathers or a kilogram of stones?",
    "I have three apples and eat one. How many are left?",
    "Is a tomato a fruit or a vegetable? Explain briefly.",
    "What would happen if the moon were closer to the Earth?",
    "Why might a shop be busier on a Saturday than on a Tuesday?",
    "What is the opposite of 'generous'?",
    # conversation
    "Hello! How are you today?",
    "Can you recommend a relaxing activity for a Sunday evening?",
    "I feel nervous about my first day at a new job. Any words of encouragement?",
    "What is a good question to ask someone you have just met?",
    "Tell me a fun fact about octopuses.",
    "What do you think makes a good story?",
)
