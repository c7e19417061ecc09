// The built-in emoji set: the picker and the quick reactions. Emoji are data, not UI text.
export const quickReactions = ["👍", "❤️", "😂", "😮", "😢", "🎉"];
export const emojiSet = [
  "😀", "😁", "😂", "🤣", "😊", "😍", "😘", "😎", "🤔", "😐", "🙄", "😴",
  "😮", "😢", "😭", "😡", "🥳", "🤯", "😇", "🙃", "😉", "🤗", "🤫", "😬",
  "👍", "👎", "👏", "🙌", "🙏", "💪", "👋", "🤝", "✌️", "👀", "🔥", "✨",
  "❤️", "💔", "💯", "🎉", "🎂", "☕", "🍕", "🍺", "🚀", "⭐", "✅", "❌",
];
