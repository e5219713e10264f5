"""Rule-checked instructions on general topics, in the spirit of IFEval.

Each entry is ``(prompt, check)``; ``check["type"]`` is one of ``CHECK_TYPES``:

- ``max_words`` / ``min_words`` ``{"value": N}``: word count of the answer,
- ``bullet_count`` ``{"value": N}``: exactly N lines starting with "- " or "* ",
- ``json_object`` ``{"keys": [...]}``: the answer contains a parseable JSON object with those keys,
- ``lowercase`` ``{}``: no uppercase letters,
- ``include_keyword`` ``{"value": "word"}``: the word appears (case-insensitive),
- ``end_with`` ``{"value": "phrase"}``: the answer ends with the phrase,
- ``no_commas`` ``{}``: no comma anywhere.
"""

from __future__ import annotations

CHECK_TYPES = ("max_words", "min_words", "bullet_count", "json_object", "lowercase",
               "include_keyword", "end_with", "no_commas")

INSTRUCT_CHECKS: tuple[tuple[str, dict[str, object]], ...] = (
    # max_words
    ("Describe a sunrise in at most 30 words.", {"type": "max_words", "value": 30}),
    ("In no more than 20 words, explain why people water their plants.",
     {"type": "max_words", "value": 20}),
    ("Give me a one-sentence summary of the story of Little Red Riding Hood, using 25 "
     "words or fewer.", {"type": "max_words", "value": 25}),
    ("What is a good name for a pet goldfish? Answer in at most 10 words.",
     {"type": "max_words", "value": 10}),
    ("Tell me what a library is for, in 40 words or fewer.",
     {"type": "max_words", "value": 40}),
    ("Recommend a hobby for a rainy afternoon. Keep your answer under 15 words.",
     {"type": "max_words", "value": 15}),
    ("Explain how a bicycle moves forward. Use no more than 50 words.",
     {"type": "max_words", "value": 50}),
    # min_words
    ("Write at least 80 words about why people enjoy walking in the park.",
     {"type": "min_words", "value": 80}),
    ("Describe your favourite season in a paragraph of at least 60 words.",
     {"type": "min_words", "value": 60}),
    ("Explain how to make a cup of tea. Your answer should be at least 50 words long.",
     {"type": "min_words", "value": 50}),
    ("Write a short story about a lost umbrella that is at least 100 words long.",
     {"type": "min_words", "value": 100}),
    ("Give advice to someone starting to learn the guitar, using at least 70 words.",
     {"type": "min_words", "value": 70}),
    ("Describe a busy market on a Saturday morning in no fewer than 40 words.",
     {"type": "min_words", "value": 40}),
    # bullet_count
    ("List exactly 3 fruits that are rich in vitamin C. Put each on its own line "
     "starting with '- '.", {"type": "bullet_count", "value": 3}),
    ("Give exactly 5 tips for sleeping better, as a bulleted list with one '- ' bullet "
     "per tip.", {"type": "bullet_count", "value": 5}),
    ("Name exactly 4 animals that live in the ocean. Use a markdown bullet list.",
     {"type": "bullet_count", "value": 4}),
    ("What should I pack for a day at the beach? Answer with exactly 6 bullet points.",
     {"type": "bullet_count", "value": 6}),
    ("Write exactly 2 bullet points about why reading is good for you.",
     {"type": "bullet_count", "value": 2}),
    ("List exactly 3 ways to save water at home, one bullet point each.",
     {"type": "bullet_count", "value": 3}),
    # json_object
    ("Return a JSON object with the keys \"name\" and \"color\" describing a fictional cat. "
     "Output only the JSON.", {"type": "json_object", "keys": ["name", "color"]}),
    ("Describe a city you would like to visit as a JSON object with the keys \"city\", "
     "\"country\" and \"reason\".",
     {"type": "json_object", "keys": ["city", "country", "reason"]}),
    ("Give me a simple recipe as JSON with the keys \"title\", \"ingredients\" and \"steps\".",
     {"type": "json_object", "keys": ["title", "ingredients", "steps"]}),
    ("Answer in JSON with the key \"answer\": what is the capital of France?",
     {"type": "json_object", "keys": ["answer"]}),
    ("Invent a book and describe it as a JSON object with the keys \"title\", \"author\" "
     "and \"year\".", {"type": "json_object", "keys": ["title", "author", "year"]}),
    ("Output a JSON object with the keys \"planet\" and \"fact\" that states one fact "
     "about Mars.", {"type": "json_object", "keys": ["planet", "fact"]}),
    # lowercase
    ("Write two sentences about autumn leaves using only lowercase letters.",
     {"type": "lowercase"}),
    ("Describe your ideal breakfast. Do not use any capital letters.",
     {"type": "lowercase"}),
    ("Say hello to a new neighbour in a friendly way, all in lowercase.",
     {"type": "lowercase"}),
    ("Explain what a cloud is. Your whole answer must be in lowercase letters.",
     {"type": "lowercase"}),
    ("Write a short poem about the sea without a single uppercase letter.",
     {"type": "lowercase"}),
    ("Give three reasons to learn to cook, written entirely in lowercase.",
     {"type": "lowercase"}),
    # include_keyword
    ("Write a short note about breakfast that includes the word 'toast'.",
     {"type": "include_keyword", "value": "toast"}),
    ("Describe a walk in the forest and mention the word 'mushroom'.",
     {"type": "include_keyword", "value": "mushroom"}),
    ("Tell me about your favourite sport. Be sure to use the word 'teamwork'.",
     {"type": "include_keyword", "value": "teamwork"}),
    ("Explain why the sky looks blue, and include the word 'sunlight' in your answer.",
     {"type": "include_keyword", "value": "sunlight"}),
    ("Write a thank-you message to a teacher that contains the word 'patience'.",
     {"type": "include_keyword", "value": "patience"}),
    ("Describe a winter evening at home. Your answer must include the word 'blanket'.",
     {"type": "include_keyword", "value": "blanket"}),
    ("Give advice for a first garden and use the word 'compost' at least once.",
     {"type": "include_keyword", "value": "compost"}),
    # end_with
    ("Explain what a rainbow is in one or two sentences, and finish your answer with the "
     "exact phrase 'Is there anything else?'",
     {"type": "end_with", "value": "Is there anything else?"}),
    ("Write a short welcome message for a museum visitor that ends with the words "
     "'Enjoy your visit.'", {"type": "end_with", "value": "Enjoy your visit."}),
    ("Describe how to boil an egg. End your response with 'Bon appetit!'",
     {"type": "end_with", "value": "Bon appetit!"}),
    ("Tell a very short joke about a cat, and make the last words of your answer "
     "'The end.'", {"type": "end_with", "value": "The end."}),
    ("Give one tip for staying calm before an exam. Finish with the phrase 'Good luck!'",
     {"type": "end_with", "value": "Good luck!"}),
    ("Summarise why exercise matters in two sentences, ending exactly with 'Stay active.'",
     {"type": "end_with", "value": "Stay active."}),
    # no_commas
    ("Describe your ideal weekend without using any commas.", {"type": "no_commas"}),
    ("Explain how to plant a seed. Do not use a single comma in your answer.",
     {"type": "no_commas"}),
    ("Write three sentences about the moon and avoid commas entirely.",
     {"type": "no_commas"}),
    ("Tell me what makes a good friend. Your reply must not contain any commas.",
     {"type": "no_commas"}),
    ("List some things you might see at a zoo in a sentence with no commas.",
     {"type": "no_commas"}),
    ("Describe the smell of fresh bread without using commas.", {"type": "no_commas"}),
)
